package kubenurse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Real certificates and keys for tests, made by the openssl command line tool (present wherever the test
 * suite runs; .ci/run installs it), in the encodings cert-manager and openssl write.
 */
public final class TestCertificates {

    /** A certificate and its key, PEM files. */
    public record Pair(Path cert, Path key) {
    }

    private TestCertificates() {
    }

    /** Self-signed RSA certificate for localhost and 127.0.0.1, key in PKCS#8. */
    public static Pair selfSignedRsa(Path dir, String name) throws IOException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return new Pair(cert, key);
    }

    /** The same RSA key re-encoded as PKCS#1 ("RSA PRIVATE KEY"). */
    public static Path toPkcs1(Path pkcs8Key, Path out) throws IOException {
        openssl("pkey", "-in", pkcs8Key.toString(), "-traditional", "-out", out.toString());
        return out;
    }

    /** Self-signed P-256 certificate whose key is SEC1 ("EC PARAMETERS" + "EC PRIVATE KEY"). */
    public static Pair selfSignedEc(Path dir, String name) throws IOException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", key.toString());
        openssl("req", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        return new Pair(cert, key);
    }

    /** A CA that may sign certificates. */
    public static Pair certificateAuthority(Path dir, String name) throws IOException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new Pair(cert, key);
    }

    /** A server certificate signed by {@code ca}, valid for the given subjectAltName, e.g. "DNS:localhost,IP:127.0.0.1". */
    public static Pair signedBy(Pair ca, Path dir, String name, String subjectAltName) throws IOException {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path extensions = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", extensions.toString());
        return new Pair(cert, key);
    }

    /**
     * A certificate for localhost that expired in 2020, signed by a CA that is valid now (a trust anchor's
     * own dates are never checked, so only a leaf can show expiry). openssl 3.0 cannot back-date, the JDK's
     * keytool can. The CA certificate is written to NAME-ca.crt; the pair holds the leaf certificate and a
     * PKCS#12 store with its key and chain.
     */
    public static Pair expiredSignedBy(Path dir, String name) throws IOException {
        Path caStore = dir.resolve(name + "-ca.p12");
        Path caCert = dir.resolve(name + "-ca.crt");
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name + "-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", caCert.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
                "-keystore", store.toString());
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
                "-outfile", cert.toString(), "-rfc", "-startdate", "2020/01/01 00:00:00", "-validity", "2",
                "-ext", "san=dns:localhost,ip:127.0.0.1");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", store.toString());
        keytool("-importcert", "-alias", "server", "-file", cert.toString(), "-keystore", store.toString());
        return new Pair(cert, store);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        run(command.toArray(String[]::new));
    }

    public static final String STORE_PASSWORD = "changeit";

    /** A server-side TLS context serving this certificate and key (PEM), or a PKCS#12 store in place of the key. */
    public static SSLContext serverContext(Pair pair) throws IOException {
        Path store = pair.key();
        if (!store.toString().endsWith(".p12")) {
            store = pair.key().resolveSibling(pair.key().getFileName() + ".p12");
            openssl("pkcs12", "-export", "-in", pair.cert().toString(), "-inkey", pair.key().toString(),
                    "-out", store.toString(), "-passout", "pass:" + STORE_PASSWORD);
        }
        try {
            KeyStore keys = KeyStore.getInstance(store.toFile(), STORE_PASSWORD.toCharArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a server TLS context from " + store, e);
        }
    }

    public static void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    private static void run(String... command) throws IOException {
        List<String> args = List.of(command);
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static Path write(Path file, String text) throws IOException {
        return Files.writeString(file, text);
    }
}
