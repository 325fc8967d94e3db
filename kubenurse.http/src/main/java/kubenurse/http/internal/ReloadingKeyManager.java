package kubenurse.http.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import kubenurse.config.LogValue;
import kubenurse.config.Pem;

/**
 * Serves the certificate of CERT_FILE/CERT_KEY and picks up a new one when cert-manager (or a kubelet
 * secret update) replaces the files: before a handshake it looks, at most once a second, whether either
 * file changed. A half-written pair, or a certificate whose key is not (yet) the one beside it, is not
 * taken: the previous pair stays in use, and the problem is logged once per change of the files, as an
 * error, since clients would fail every handshake with such a pair.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

    private static final Logger LOG = System.getLogger("kubenurse.http");
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    private static final char[] NO_PASSWORD = new char[0];

    private final Path certFile;
    private final Path keyFile;
    private volatile Loaded current;
    private volatile long lastCheckNanos;
    /** The file times of the last pair that could not be taken, so that it is reported once, not every second. */
    private volatile List<FileTime> rejected = List.of();

    private record Loaded(X509ExtendedKeyManager keys, FileTime certModified, FileTime keyModified) {
    }

    ReloadingKeyManager(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.current = load();
        this.lastCheckNanos = System.nanoTime();
    }

    static SSLContext sslContext(Path certFile, Path keyFile) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ReloadingKeyManager(certFile, keyFile)}, null, null);
            return context;
        } catch (GeneralSecurityException unusable) {
            throw new IOException("cannot serve TLS with " + certFile + " and " + keyFile + ": "
                    + unusable.getMessage(), unusable);
        }
    }

    private Loaded load() throws IOException, GeneralSecurityException {
        FileTime certModified = Files.getLastModifiedTime(certFile);
        FileTime keyModified = Files.getLastModifiedTime(keyFile);
        List<X509Certificate> chain = Pem.readCertificates(certFile);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (!Pem.keyMatches(chain.getFirst(), key)) {
            throw new GeneralSecurityException("the key in " + keyFile + " is not the private key of the certificate in "
                    + certFile);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("kubenurse", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        for (KeyManager manager : factory.getKeyManagers()) {
            if (manager instanceof X509ExtendedKeyManager x509) {
                return new Loaded(x509, certModified, keyModified);
            }
        }
        throw new GeneralSecurityException("no X.509 key manager available");
    }

    /** The key manager of the newest loadable files. */
    private X509ExtendedKeyManager keys() {
        long now = System.nanoTime();
        if (now - lastCheckNanos >= CHECK_EVERY_NANOS) {
            lastCheckNanos = now;
            reloadIfChanged();
        }
        return current.keys();
    }

    private synchronized void reloadIfChanged() {
        Loaded loaded = current;
        try {
            List<FileTime> times = List.of(Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile));
            if (times.equals(List.of(loaded.certModified(), loaded.keyModified())) || times.equals(rejected)) {
                return;
            }
            try {
                current = load();
                rejected = List.of();
                LOG.log(Level.INFO, "event=certificate_reloaded cert_file=" + LogValue.quote(certFile));
            } catch (IOException | GeneralSecurityException | RuntimeException unusable) {
                rejected = times;
                LOG.log(Level.ERROR, "event=certificate_reload_failed cert_file=" + LogValue.quote(certFile)
                        + " key_file=" + LogValue.quote(keyFile) + " error=" + LogValue.quote(unusable.getMessage())
                        + " action=keeping_previous_certificate");
            }
        } catch (IOException | RuntimeException unreadable) {
            // a file being replaced (removed, then written): looked at again on the next handshake
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return keys().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.keys().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.keys().getPrivateKey(alias);
    }
}
