package kubenurse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import kubenurse.checks.CheckResults;
import kubenurse.config.Pem;
import kubenurse.config.ServerSettings;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with real certificates made by openssl, including a rotation of the files while serving. */
class TlsServerTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsAndPicksUpARotatedCertificate() throws Exception {
        TestCertificates.Pair first = TestCertificates.selfSignedRsa(dir, "first");
        TestCertificates.Pair second = TestCertificates.selfSignedEc(dir, "second");
        Path certFile = Files.copy(first.cert(), dir.resolve("tls.crt"));
        Path keyFile = Files.copy(first.key(), dir.resolve("tls.key"));
        try (StatusServer server = serving(certFile, keyFile)) {
            HttpClient client = trusting(first.cert(), second.cert());
            assertEquals("CN=first", peerSubject(client, server.httpsPort()));

            // what cert-manager does: new files in place (here a copy then an atomic move)
            Thread.sleep(1100);
            Files.copy(second.cert(), dir.resolve("new.crt"));
            Files.copy(second.key(), dir.resolve("new.key"));
            Files.move(dir.resolve("new.key"), keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("new.crt"), certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(1100);

            // a new client, so a new TLS connection and handshake
            String subject = peerSubject(trusting(first.cert(), second.cert()), server.httpsPort());
            if (subject.equals("CN=first")) {
                // the first handshake after the change triggers the reload; the next one uses it
                subject = peerSubject(trusting(first.cert(), second.cert()), server.httpsPort());
            }
            assertEquals("CN=second", subject);
            client.close();
        }
    }

    @Test
    void keepsServingThePreviousPairWhenOnlyTheCertificateIsReplaced() throws Exception {
        TestCertificates.Pair first = TestCertificates.selfSignedRsa(dir, "first");
        TestCertificates.Pair second = TestCertificates.selfSignedRsa(dir, "second");
        Path certFile = Files.copy(first.cert(), dir.resolve("tls.crt"));
        Path keyFile = Files.copy(first.key(), dir.resolve("tls.key"));
        try (StatusServer server = serving(certFile, keyFile)) {
            assertEquals("CN=first", peerSubject(trusting(first.cert(), second.cert()), server.httpsPort()));
            Thread.sleep(1100);
            Files.copy(second.cert(), dir.resolve("new.crt"));
            Files.move(dir.resolve("new.crt"), certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(1100);
            // the first handshake after the change looks at the files; each one must still succeed with the old pair
            for (int i = 0; i < 3; i++) {
                assertEquals("CN=first", peerSubject(trusting(first.cert(), second.cert()), server.httpsPort()));
            }
        }
    }

    @Test
    void unusableCertificateFailsAtStartWithTheFiles() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "x");
        ServerSettings swapped = new ServerSettings(0, 0, true, Optional.of(pair.key()), Optional.of(pair.cert()),
                Duration.ZERO);
        PrometheusRegistry registry = new PrometheusRegistry();
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> StatusServer.start(
                swapped, new Endpoints("pod", () -> null, registry, () -> true, IncomingChecks.register(registry), () -> "skipped",
                        java.util.List::of, false, java.util.Map::of)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("cannot serve TLS with " + pair.key()),
                e.getMessage());
    }

    /** A server with HTTPS on a free port, serving the pair in these files. */
    private static StatusServer serving(Path certFile, Path keyFile) throws IOException {
        ServerSettings settings = new ServerSettings(0, 0, true, Optional.of(certFile), Optional.of(keyFile), Duration.ZERO);
        PrometheusRegistry registry = new PrometheusRegistry();
        CheckResults none = new CheckResults(List.of(), List.of(), List.of());
        return StatusServer.start(settings,
                new Endpoints("pod", () -> none, registry, () -> true, IncomingChecks.register(registry), () -> "skipped",
                        java.util.List::of, false, java.util.Map::of));
    }

    private static String peerSubject(HttpClient client, int port) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/alwayshappy")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        SSLSession session = response.sslSession().orElseThrow();
        return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static HttpClient trusting(Path... certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Path cert : certs) {
            trust.setCertificateEntry("c" + i++, Pem.readCertificates(cert).getFirst());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
