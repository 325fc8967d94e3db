package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubenurse.config.TrustSources;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckSettingsReaderTest {

    @TempDir
    Path dir;

    @Test
    void bucketsTakeExponents() {
        Variables env = new Variables(Map.of("KUBENURSE_HISTOGRAM_BUCKETS", "1e-3, 2E2"));
        assertEquals(List.of(0.001, 200.0), CheckSettingsReader.read(env).histogramBuckets());
        assertEquals(List.of(), env.problems());
    }

    /** Double.parseDouble would take these; a bucket bound is a plain number of seconds. */
    @Test
    void bucketsRejectHexAndJavaSuffixesAndFallBackToTheDefaults() {
        for (String value : List.of("0x10", "1d", "2f", "NaN")) {
            Variables env = new Variables(Map.of("KUBENURSE_HISTOGRAM_BUCKETS", value));
            assertEquals(CheckSettingsReader.DEFAULT_BUCKETS, CheckSettingsReader.read(env).histogramBuckets());
            assertEquals(1, env.problems().size(), value);
        }
    }

    @Test
    void withoutSslVariablesTheSystemTrustIsGosLinuxDefaults() {
        Variables env = new Variables(Map.of());
        assertEquals(TrustSources.DEFAULTS, CheckSettingsReader.read(env).systemTrust());
        assertEquals(Path.of("/etc/ssl/certs/ca-certificates.crt"), TrustSources.DEFAULT_BUNDLE_FILES.getFirst());
        assertEquals(6, TrustSources.DEFAULT_BUNDLE_FILES.size());
        assertEquals(List.of(Path.of("/etc/ssl/certs"), Path.of("/etc/pki/tls/certs")), TrustSources.DEFAULT_DIRECTORIES);
    }

    @Test
    void sslCertFileReplacesOnlyTheBundleFiles() throws Exception {
        Path bundle = TestCertificates.certificateAuthority(dir, "corporate").cert();
        Variables env = new Variables(Map.of("SSL_CERT_FILE", bundle.toString()));
        assertEquals(new TrustSources(List.of(bundle), TrustSources.DEFAULT_DIRECTORIES),
                CheckSettingsReader.read(env).systemTrust());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void sslCertDirReplacesOnlyTheDirectoriesAndSplitsAtColons() {
        Variables env = new Variables(Map.of("SSL_CERT_DIR", "/mnt/corporate::/etc/ssl/certs"));
        assertEquals(new TrustSources(TrustSources.DEFAULT_BUNDLE_FILES,
                List.of(Path.of("/mnt/corporate"), Path.of("/etc/ssl/certs"))), CheckSettingsReader.read(env).systemTrust());
        assertEquals(List.of(), env.problems(), "a directory that does not exist is skipped, as Go skips it");
    }

    /** A bundle with UTF-8 comments between its blocks and one entry that does not parse, as system bundles have. */
    @Test
    void aSystemBundleWithCommentsAndABrokenEntryIsAccepted() throws Exception {
        Path ca = TestCertificates.certificateAuthority(dir, "corporate").cert();
        Path bundle = Files.writeString(dir.resolve("tls-ca-bundle.pem"), "# NetLock Arany (Class Gold) Főtanúsítvány\n"
                + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + Files.readString(ca));
        Variables env = new Variables(Map.of("SSL_CERT_FILE", bundle.toString()));
        assertEquals(List.of(bundle), CheckSettingsReader.read(env).systemTrust().bundleFiles());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void anSslCertFileThatIsMissingOrHoldsNoCertificateIsAProblemNamingIt() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        for (String value : List.of("/nonexistent/ca.pem", notPem.toString(), dir.toString())) {
            Variables env = new Variables(Map.of("SSL_CERT_FILE", value));
            CheckSettingsReader.read(env);
            assertEquals(1, env.problems().size(), value);
            assertTrue(env.problems().getFirst().startsWith("config error: SSL_CERT_FILE=\"" + value
                    + "\": expected a readable PEM file with one or more certificates ("), env.problems().getFirst());
        }
    }
}
