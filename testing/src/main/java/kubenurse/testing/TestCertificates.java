package kubenurse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    public static void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
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
