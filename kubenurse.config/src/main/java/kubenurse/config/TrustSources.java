package kubenurse.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the checks find the system's CAs, as Go's crypto/x509 looks for them on Linux: the first bundle
 * file of {@link #bundleFiles()} that exists, plus every PEM certificate in the files of
 * {@link #directories()}. The JDK's own cacerts serve only when none of these yields a certificate.
 *
 * @param bundleFiles SSL_CERT_FILE alone when set, else {@link #DEFAULT_BUNDLE_FILES}; only the first that
 *                    exists is read
 * @param directories SSL_CERT_DIR split at ':' when set, else {@link #DEFAULT_DIRECTORIES}
 */
public record TrustSources(List<Path> bundleFiles, List<Path> directories) {

    /** The bundle files Go tries on Linux, in its order: Debian, Fedora/RHEL, OpenSUSE, OpenELEC, CentOS, Alpine. */
    public static final List<Path> DEFAULT_BUNDLE_FILES = paths(
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/ca-bundle.pem",
            "/etc/pki/tls/cacert.pem",
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
            "/etc/ssl/cert.pem");
    /** The certificate directories Go reads on Linux. */
    public static final List<Path> DEFAULT_DIRECTORIES = paths("/etc/ssl/certs", "/etc/pki/tls/certs");
    /** Neither SSL_CERT_FILE nor SSL_CERT_DIR set. */
    public static final TrustSources DEFAULTS = new TrustSources(DEFAULT_BUNDLE_FILES, DEFAULT_DIRECTORIES);

    public TrustSources {
        bundleFiles = List.copyOf(bundleFiles);
        directories = List.copyOf(directories);
    }

    private static List<Path> paths(String... paths) {
        return java.util.Arrays.stream(paths).map(Path::of).toList();
    }
}
