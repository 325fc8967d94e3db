package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kubenurse.config.ApiServer;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TrustSources;
import kubenurse.testing.LogLines;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A check against a real HTTPS server whose CA the checks know only through one of the system sources. */
class CheckTrustTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair signed;
    static TestCertificates.Pair clusterCa;
    static TestCertificates.Pair clusterSigned;

    private final ExecutorService clientWork = Executors.newVirtualThreadPerTaskExecutor();
    private LogLines logged;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.certificateAuthority(dir, "corporate-ca");
        signed = TestCertificates.signedBy(ca, dir, "signed", "DNS:localhost,IP:127.0.0.1");
        clusterCa = TestCertificates.certificateAuthority(dir, "cluster-ca");
        clusterSigned = TestCertificates.signedBy(clusterCa, dir, "cluster-signed", "DNS:localhost,IP:127.0.0.1");
    }

    @BeforeEach
    void listen() {
        logged = LogLines.listen("kubenurse.checks", "event=trust_store");
    }

    @AfterEach
    void stop() {
        logged.close();
        clientWork.shutdownNow();
    }

    private String check(TrustSources sources, boolean insecure) throws Exception {
        return check(sources, insecure, Optional.empty(), signed);
    }

    /** Checks a server with the certificate {@code served}, trusting {@code clusterCas} as the cluster's. */
    private String check(TrustSources sources, boolean insecure, Optional<Path> clusterCas,
            TestCertificates.Pair... served) throws Exception {
        ServiceAccount account = ServiceAccount.of(new ApiServer(Optional.empty(), 443, "kubernetes",
                dir.resolve("no-serviceaccount")), clusterCas);
        CheckTransport transport = new CheckTransport(CheckTrust.sslContext(insecure, account, sources),
                new GoProxySelector(ProxySettings.none()), Connections.of(false), clientWork);
        StringBuilder outcomes = new StringBuilder();
        try (transport) {
            for (TestCertificates.Pair certificate : served) {
                try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(certificate))) {
                    String outcome = new HttpCheck("corporate", server.uri("/alwayshappy"), Map::of, transport).run()
                            .result().outcome();
                    outcomes.append(outcomes.isEmpty() ? "" : ", ").append(outcome);
                }
            }
        }
        return outcomes.toString();
    }

    @Test
    void aServerTheClusterCaSignsIsTrustedWithoutReadingTheSystemCas() throws Exception {
        assertEquals("ok, ok", check(new TrustSources(List.of(ca.cert()), List.of()), false,
                Optional.of(clusterCa.cert()), clusterSigned, clusterSigned));
        assertEquals(List.of(), logged.lines(), "the system CAs were not needed, so not read");
    }

    @Test
    void theSystemCasAreReadOnceWhenAChainNeedsThemAndTheClusterCaStillCounts() throws Exception {
        assertEquals("ok, ok, ok, ok", check(new TrustSources(List.of(ca.cert()), List.of()), false,
                Optional.of(clusterCa.cert()), clusterSigned, signed, clusterSigned, signed));
        assertEquals(List.of("INFO event=trust_store source=\"" + ca.cert() + "\" certificates=1 extra_cas=1"),
                logged.lines(), "read once, at the first chain the cluster CA does not sign");
    }

    @Test
    void aChainNeitherSignsIsRefusedInTheWordsOfTheWholeTrust() throws Exception {
        TestCertificates.Pair stranger = TestCertificates.certificateAuthority(dir, "stranger-ca");
        TestCertificates.Pair strangerSigned = TestCertificates.signedBy(stranger, dir, "stranger-signed",
                "DNS:localhost,IP:127.0.0.1");
        assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)",
                check(new TrustSources(List.of(ca.cert()), List.of()), false, Optional.of(clusterCa.cert()),
                        strangerSigned));
    }

    @Test
    void aCaNamedAsTheBundleFileIsTrusted() throws Exception {
        assertEquals("ok", check(new TrustSources(List.of(ca.cert()), List.of()), false));
        assertEquals(List.of("INFO event=trust_store source=\"" + ca.cert() + "\" certificates=1 extra_cas=0"), logged.lines());
    }

    @Test
    void aCaInACertificateDirectoryIsTrusted() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(ca.cert(), certs.resolve("corporate.pem"));
        assertEquals("ok", check(new TrustSources(List.of(dir.resolve("missing.crt")), List.of(certs)), false));
    }

    @Test
    void theJdkCacertsDoNotKnowIt() throws Exception {
        assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)",
                check(new TrustSources(List.of(), List.of()), false));
        assertEquals(1, logged.lines().size());
        assertTrue(logged.lines().getFirst().contains("lib/security/cacerts"), logged.lines().getFirst());
    }

    @Test
    void insecureReadsNoSource() throws Exception {
        assertEquals("ok", check(TrustSources.DEFAULTS, true));
        assertEquals(List.of(), logged.lines(), "nothing verified, nothing read");
    }
}
