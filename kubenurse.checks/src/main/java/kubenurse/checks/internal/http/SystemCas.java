package kubenurse.checks.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kubenurse.config.Pem;
import kubenurse.config.TrustSources;

/**
 * The system CAs the checks trust, read as Go kubenurse's crypto/x509 reads them on Linux (see
 * {@link TrustSources}), with the JDK's cacerts as the last resort, so that a corporate CA mounted over
 * /etc/ssl/certs or named by SSL_CERT_FILE is trusted as upstream trusts it.
 *
 * @param certificates distinct, in the order read
 * @param source       the bundle file and directories that yielded them, comma-separated, or the JDK's cacerts
 */
record SystemCas(List<X509Certificate> certificates, String source) {

    SystemCas {
        certificates = List.copyOf(certificates);
    }

    static SystemCas read(TrustSources sources) {
        Found found = new Found();
        List<String> yielding = new ArrayList<>();
        for (Path file : sources.bundleFiles()) {
            if (Files.isRegularFile(file) && Files.isReadable(file)) {
                // the first file that exists is the bundle, whatever it holds, as in Go
                if (found.addAll(file)) {
                    yielding.add(file.toString());
                }
                break;
            }
        }
        for (Path directory : sources.directories()) {
            boolean added = false;
            for (Path file : entries(directory)) {
                added |= found.addAll(file);
            }
            if (added) {
                yielding.add(directory.toString());
            }
        }
        if (!found.certificates.isEmpty()) {
            return new SystemCas(found.certificates, String.join(",", yielding));
        }
        return jdkCacerts();
    }

    /**
     * The distinct certificates so far. Debian's bundle lies in its own directory beside a file per CA, so
     * every CA comes two or three times: a repeat is recognised by its bytes and never parsed again, which
     * keeps the start-up cost that of one bundle.
     */
    private static final class Found {
        final List<X509Certificate> certificates = new ArrayList<>();
        private final Set<ByteBuffer> seen = new HashSet<>();

        /** Whether the file added a certificate not seen before; an unreadable file adds none, as Go skips it. */
        boolean addAll(Path file) {
            List<byte[]> blocks;
            try {
                blocks = Pem.certificateBlocks(file);
            } catch (IOException | RuntimeException unreadable) {
                return false;
            }
            boolean added = false;
            for (byte[] der : blocks) {
                if (seen.add(ByteBuffer.wrap(der))) {
                    X509Certificate certificate = Pem.parseOrNull(der);
                    if (certificate != null) {
                        certificates.add(certificate);
                        added = true;
                    }
                }
            }
            return added;
        }
    }

    /** The CAs of the runtime's own lib/security/cacerts. */
    static SystemCas jdkCacerts() {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        List<X509Certificate> cas = new ArrayList<>();
        if (Files.isReadable(cacerts)) {
            try {
                KeyStore store = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isCertificateEntry(alias) && store.getCertificate(alias) instanceof X509Certificate ca) {
                        cas.add(ca);
                    }
                }
            } catch (IOException | GeneralSecurityException unreadable) {
                // no CAs, as without the file: only the serviceaccount's and KUBENURSE_EXTRA_CA then verify
            }
        }
        return new SystemCas(cas, cacerts.toString());
    }

    /**
     * The regular files of a directory in name order, without the links c_rehash makes to a file of the same
     * directory (HASH.0 -> name.pem): Go skips them too, and they would only make us parse each CA twice.
     */
    private static List<Path> entries(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && !sameDirectoryLink(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return List.of(); // a missing directory is the usual case: the defaults name those of other distributions
        }
        Collections.sort(files);
        return files;
    }

    private static boolean sameDirectoryLink(Path entry) throws IOException {
        return Files.isSymbolicLink(entry) && !Files.readSymbolicLink(entry).toString().contains("/");
    }
}
