package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kubenurse.image.fixture.RunningImage;
import kubenurse.testing.Eventually;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image trusts a corporate CA where Go kubenurse finds it: named by SSL_CERT_FILE, or in a directory of
 * SSL_CERT_DIR. Without either, the machine's own bundle (/etc/ssl/certs/ca-certificates.crt here) does not
 * hold the test CA, so the same check fails.
 */
class TrustStoreIT {

    @TempDir
    static Path dir;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair signed;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.certificateAuthority(dir, "corporate-ca");
        signed = TestCertificates.signedBy(ca, dir, "server", "DNS:localhost,IP:127.0.0.1");
    }

    /** The corporate check's result in /alive and the image's output, with exactly these extra variables. */
    private static String[] run(Map<String, String> trust) throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(signed))) {
            Map<String, String> env = new HashMap<>(trust);
            env.put("KUBENURSE_EXTRA_CHECKS", "corporate:https://127.0.0.1:" + server.port() + "/alwayshappy");
            env.put("KUBENURSE_CHECK_INTERVAL", "1s");
            try (RunningImage image = RunningImage.start(env, List.of())) {
                image.awaitAlive(Duration.ofSeconds(20));
                // the first /alive may come before the first run ended: wait for a result, ok or not
                String result = Eventually.within(Duration.ofSeconds(20), "a result of the corporate check",
                        () -> corporate(image), r -> r != null && !r.equals("skipped"));
                return new String[] {result, image.output()};
            }
        }
    }

    private static String corporate(RunningImage image) {
        try {
            JsonObject alive = Json.parse(image.get("/alive").body()).asObject();
            return alive.get("last_check_result").asObject().getString("corporate", null);
        } catch (Exception notAnswering) {
            return "(no /alive: " + notAnswering + ")";
        }
    }

    @Test
    void aCaNamedBySslCertFileIsTrusted() throws Exception {
        String[] seen = run(Map.of("SSL_CERT_FILE", ca.cert().toString()));
        assertEquals("ok", seen[0], seen[1]);
        assertTrue(seen[1].contains("event=trust_store source=\"" + ca.cert()), seen[1]);
    }

    @Test
    void aCaInADirectoryOfSslCertDirIsTrusted() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("corporate-certs"));
        Files.copy(ca.cert(), certs.resolve("corporate.pem"));
        String[] seen = run(Map.of("SSL_CERT_DIR", dir.resolve("absent") + ":" + certs));
        assertEquals("ok", seen[0], seen[1]);
        assertTrue(seen[1].contains("event=trust_store source=\""), seen[1]);
        assertTrue(seen[1].contains(certs + "\" certificates="), seen[1]);
    }

    @Test
    void withNeitherTheCaIsNotTrusted() throws Exception {
        String[] seen = run(Map.of());
        assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)", seen[0], seen[1]);
    }

    @Test
    void anSslCertFileWithoutCertificatesIsAConfigErrorWithStatus2() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
        try (RunningImage image = RunningImage.start(Map.of("SSL_CERT_FILE", notPem.toString()), List.of())) {
            assertEquals(2, image.awaitExit(Duration.ofSeconds(20)), image.output());
            assertTrue(image.output().contains("config error: SSL_CERT_FILE=\"" + notPem
                    + "\": expected a readable PEM file with one or more certificates"), image.output());
        }
    }
}
