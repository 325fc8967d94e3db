package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kubenurse.config.Pem;
import kubenurse.config.TrustSources;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Go's order on real PEM files in a temporary tree that stands for /etc. */
class SystemCasTest {

    @TempDir
    static Path dir;
    static Path first;
    static Path second;
    static Path third;

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificates.certificateAuthority(dir, "first").cert();
        second = TestCertificates.certificateAuthority(dir, "second").cert();
        third = TestCertificates.certificateAuthority(dir, "third").cert();
    }

    private static Path directory(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void theFirstBundleFileThatExistsIsTheOnlyOneRead() throws Exception {
        SystemCas cas = SystemCas.read(new TrustSources(List.of(dir.resolve("missing.crt"), second, first), List.of()));
        assertEquals(Pem.readCertificates(second), cas.certificates());
        assertEquals(second.toString(), cas.source());
    }

    @Test
    void directoriesAddEveryPemFileTheyHoldButNoDuplicates() throws Exception {
        Path certs = directory("certs");
        Files.copy(second, certs.resolve("second.pem"));
        Files.copy(third, certs.resolve("third.crt"));
        Files.copy(first, certs.resolve("bundle-again.crt")); // Debian's bundle lies in its own directory
        Files.createSymbolicLink(certs.resolve("0a1b2c3d.0"), Path.of("third.crt")); // c_rehash's link
        Files.writeString(certs.resolve("README"), "not a certificate\n");
        Files.createDirectories(certs.resolve("java"));
        Path other = directory("other");
        Files.copy(first, other.resolve("only-a-duplicate.pem"));

        SystemCas cas = SystemCas.read(new TrustSources(List.of(first),
                List.of(dir.resolve("missing"), certs, other)));
        assertEquals(List.of(Pem.readCertificates(first).getFirst(), Pem.readCertificates(second).getFirst(),
                Pem.readCertificates(third).getFirst()), cas.certificates());
        assertEquals(first + "," + certs, cas.source(), "a directory that adds nothing new is no source");
    }

    @Test
    void anExistingFileWithoutCertificatesStillEndsTheSearchForABundle() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.crt"), "");
        Path certs = directory("only-third");
        Files.copy(third, certs.resolve("third.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        SystemCas cas = SystemCas.read(new TrustSources(List.of(empty, first), List.of(certs)));
        assertEquals(Pem.readCertificates(third), cas.certificates());
        assertEquals(certs.toString(), cas.source());
    }

    @Test
    void theJdkCacertsOnlyWhenNoSourceYieldsACertificate() throws Exception {
        Path empty = directory("empty");
        SystemCas cas = SystemCas.read(new TrustSources(List.of(dir.resolve("missing.crt")), List.of(empty)));
        assertTrue(cas.source().endsWith(Path.of("lib", "security", "cacerts").toString()), cas.source());
        assertTrue(cas.certificates().size() > 10, "the runtime's CAs: " + cas.certificates().size());
    }
}
