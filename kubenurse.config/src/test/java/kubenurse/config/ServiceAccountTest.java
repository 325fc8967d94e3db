package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serviceaccount's token and CAs, from real files. */
class ServiceAccountTest {

    @TempDir
    Path dir;

    private ServiceAccount account(Optional<Path> extraCa) {
        return ServiceAccount.of(new ApiServer(Optional.of("10.0.0.1"), 443, "kubernetes.default.svc", dir), extraCa);
    }

    @Test
    void theTokenIsReadStrippedAndEmptyWhenMissingOrBlank() throws Exception {
        ServiceAccount account = account(Optional.empty());
        assertEquals(Optional.empty(), account.token(), "no file yet");
        Files.writeString(dir.resolve("token"), "  \n");
        assertEquals(Optional.empty(), account.token(), "blank");
        Files.writeString(dir.resolve("token"), "token-1\n");
        assertEquals(Optional.of("token-1"), account.token());
    }

    @Test
    void aRotatedTokenIsReadAtItsNextUse() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "first");
        ServiceAccount account = account(Optional.empty());
        assertEquals(Optional.of("first"), account.token());
        // the kubelet writes a new file and swaps it in; even with the old one's size and time (both written
        // within one clock tick) it is another file
        Path next = Files.writeString(dir.resolve("token.new"), "later");
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(token));
        Files.move(next, token, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Optional.of("later"), account.token());
    }

    @Test
    void anUnchangedFileIsNotReadAgainUntilReloadAfterA401() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "token-a");
        FileTime stamp = Files.getLastModifiedTime(token);
        ServiceAccount account = account(Optional.empty());
        assertEquals(Optional.of("token-a"), account.token());
        // rewritten in place with the same size and time: indistinguishable by one stat
        Files.writeString(token, "token-b");
        Files.setLastModifiedTime(token, stamp);
        assertEquals(Optional.of("token-a"), account.token(), "cached while the file looks unchanged");
        account.reloadToken();
        assertEquals(Optional.of("token-b"), account.token(), "read again after a 401");
    }

    @Test
    void aFileCaughtEmptyWhileRewrittenKeepsTheTokenWeHadUntilItReadsWhole() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "token-1");
        ServiceAccount account = account(Optional.empty());
        assertEquals(Optional.of("token-1"), account.token());
        account.reloadToken(); // a 401, then the file read in the middle of an in-place rewrite
        Files.writeString(token, "");
        assertEquals(Optional.of("token-1"), account.token(), "not none: a request would go without a token");
        Files.writeString(token, "token-2");
        assertEquals(Optional.of("token-2"), account.token(), "read whole at the next use");
    }

    @Test
    void theApiServerCasAreCaCrtPlusTheExtraCa() throws Exception {
        TestCertificates.Pair cluster = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair extra = TestCertificates.certificateAuthority(dir, "extra-ca");
        assertEquals(List.of(), account(Optional.empty()).apiServerCas(), "outside a cluster there is no ca.crt");
        assertEquals(List.of(subject(extra)), subjects(account(Optional.of(extra.cert())).apiServerCas()));
        Files.copy(cluster.cert(), dir.resolve("ca.crt"));
        assertEquals(List.of(subject(cluster), subject(extra)),
                subjects(account(Optional.of(extra.cert())).apiServerCas()));
    }

    @Test
    void theTokenIsNotInTheTextOfTheAccount() throws Exception {
        Files.writeString(dir.resolve("token"), "secret-token-value");
        ServiceAccount account = account(Optional.empty());
        assertEquals(Optional.of("secret-token-value"), account.token());
        assertFalse(account.toString().contains("secret-token-value"), account.toString());
    }

    private static String subject(TestCertificates.Pair pair) throws Exception {
        return Pem.readCertificates(pair.cert()).getFirst().getSubjectX500Principal().getName();
    }

    private static List<String> subjects(List<X509Certificate> cas) {
        return cas.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
