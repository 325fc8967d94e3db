package kubenurse.checks.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import kubenurse.config.Pem;
import kubenurse.config.ServiceAccount;

/**
 * The TLS trust of outgoing checks, as Go kubenurse builds it: the system CAs, plus the serviceaccount's
 * ca.crt (which signs the API server) when present, plus KUBENURSE_EXTRA_CA; or, with
 * KUBENURSE_INSECURE, no verification at all (neither chain nor host name). The API server checks always
 * get the verifying trust: they carry the serviceaccount token.
 */
final class CheckTrust {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private CheckTrust() {
    }

    /** @param account its CAs are trusted besides the system's; unused with {@code insecure} */
    static SSLContext sslContext(boolean insecure, ServiceAccount account) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager trust = insecure ? new TrustingEverything() : verifying(account);
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | IOException unusable) {
            // config already proved EXTRA_CA readable; this is the JDK failing, which a restart will not fix
            throw new IllegalStateException("cannot build the TLS trust for the checks: " + unusable.getMessage(),
                    unusable);
        }
    }

    private static TrustManager verifying(ServiceAccount account) throws GeneralSecurityException, IOException {
        List<X509Certificate> extra = account.apiServerCas();
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (extra.isEmpty()) {
            factory.init((KeyStore) null);
        } else {
            List<X509Certificate> all = systemCas();
            all.addAll(extra);
            factory.init(Pem.trustStore(all));
            LOG.log(Level.DEBUG, "event=tls_trust extra_cas=" + extra.size());
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return manager;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    /** The CAs of the JDK's default store (lib/security/cacerts of the runtime). */
    private static List<X509Certificate> systemCas() throws GeneralSecurityException, IOException {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        List<X509Certificate> cas = new ArrayList<>();
        if (Files.isReadable(cacerts)) {
            KeyStore system = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
            for (String alias : java.util.Collections.list(system.aliases())) {
                if (system.isCertificateEntry(alias) && system.getCertificate(alias) instanceof X509Certificate ca) {
                    cas.add(ca);
                }
            }
        }
        return cas;
    }

    /**
     * KUBENURSE_INSECURE: accepts every certificate for every host. It must be an extended trust manager:
     * the JDK adds its own host name check around a plain X509TrustManager.
     */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
