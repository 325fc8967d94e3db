package kubenurse.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import kubenurse.config.Pem;
import kubenurse.config.ServiceAccount;

/**
 * The serviceaccount's files. The token is kept with the identity of the file it came from (modification
 * time, file key, size), so that a check cycle or an API request costs one stat, not one read, until the
 * kubelet swaps the file.
 */
public final class ServiceAccountFiles implements ServiceAccount {

    private final Path tokenFile;
    private final Path caFile;
    private final Optional<Path> extraCa;
    private volatile Cached cached = Cached.NONE;

    /** Which file version the token came from; the token itself never leaves through toString. */
    private record Cached(Object version, Optional<String> token) {
        static final Cached NONE = new Cached(null, Optional.empty());

        @Override
        public String toString() {
            return "Cached[version=" + version + "]";
        }
    }

    public ServiceAccountFiles(Path tokenFile, Path caFile, Optional<Path> extraCa) {
        this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
        this.caFile = Objects.requireNonNull(caFile, "caFile");
        this.extraCa = Objects.requireNonNull(extraCa, "extraCa");
    }

    @Override
    public Optional<String> token() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(tokenFile, BasicFileAttributes.class);
            List<Object> version = List.of(attributes.lastModifiedTime(), String.valueOf(attributes.fileKey()),
                    attributes.size());
            Cached known = cached;
            if (!version.equals(known.version())) {
                known = read(version, known);
            }
            return known.token();
        } catch (IOException | SecurityException unreadable) {
            return Optional.empty();
        }
    }

    /** The file is read at the next use, whatever its version; the token known until then is kept for {@link #read}. */
    @Override
    public void reloadToken() {
        cached = new Cached(null, cached.token());
    }

    private Cached read(Object version, Cached known) throws IOException {
        String token = Files.readString(tokenFile).strip();
        if (token.isEmpty() && known.token().isPresent()) {
            // a file rewritten in place reads empty for a moment (the kubelet swaps whole files; other writers, or a
            // test, may not): keep the token we had, unversioned so the next use reads again, rather than send none
            Cached kept = new Cached(null, known.token());
            cached = kept;
            return kept;
        }
        Cached fresh = new Cached(version, token.isEmpty() ? Optional.empty() : Optional.of(token));
        cached = fresh;
        return fresh;
    }

    @Override
    public List<X509Certificate> apiServerCas() throws IOException, CertificateException {
        List<X509Certificate> cas = new ArrayList<>();
        if (Files.isReadable(caFile)) {
            cas.addAll(Pem.readCertificates(caFile));
        }
        if (extraCa.isPresent()) {
            cas.addAll(Pem.readCertificates(extraCa.get()));
        }
        return List.copyOf(cas);
    }

    @Override
    public String toString() {
        return "ServiceAccount[token=" + tokenFile + ", ca=" + caFile + ", extraCa=" + extraCa.orElse(null) + "]";
    }
}
