package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubenurse.config.ServerSettings;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsReaderTest {

    @TempDir
    Path dir;

    @Test
    void withoutTlsBothPortsMayBeTheSame() {
        Variables env = new Variables(Map.of("KUBENURSE_HTTP_PORT", "8080", "KUBENURSE_HTTPS_PORT", "8080"));
        ServerSettings server = ServerSettingsReader.read(env);
        assertEquals(8080, server.httpsPort());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void tlsWithOnlyTheCertificateAsksForTheKey() throws Exception {
        TestCertificates.Pair rsa = TestCertificates.selfSignedRsa(dir, "rsa");
        Variables env = new Variables(Map.of("KUBENURSE_USE_TLS", "true", "KUBENURSE_CERT_FILE", rsa.cert().toString()));
        ServerSettingsReader.read(env);
        assertEquals(List.of("config error: KUBENURSE_USE_TLS=\"true\": expected KUBENURSE_CERT_FILE and "
                + "KUBENURSE_CERT_KEY to be set as well (PEM certificate and key)"), env.problems());
    }

    /** A key that does not parse is reported once, as unreadable, not again as the wrong key. */
    @Test
    void anUnreadableKeyIsNotAlsoReportedAsMismatched() throws Exception {
        TestCertificates.Pair rsa = TestCertificates.selfSignedRsa(dir, "rsa");
        Variables env = new Variables(Map.of("KUBENURSE_CERT_FILE", rsa.cert().toString(),
                "KUBENURSE_CERT_KEY", rsa.cert().toString()));
        ServerSettingsReader.read(env);
        assertEquals(1, env.problems().size(), env.problems().toString());
    }
}
