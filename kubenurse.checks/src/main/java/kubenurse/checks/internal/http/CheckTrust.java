package kubenurse.checks.internal.http;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import kubenurse.config.LogValue;
import kubenurse.config.Pem;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TrustSources;

/**
 * The TLS trust of outgoing checks, as Go kubenurse builds it: the system CAs (read where Go reads them, see
 * {@link SystemCas}; only once a chain needs them, see {@link ClusterFirstTrust}), plus the serviceaccount's
 * ca.crt (which signs the API server) when present, plus KUBENURSE_EXTRA_CA; or, with KUBENURSE_INSECURE, no verification at all (neither chain nor host name). The API server checks always
 * get the verifying trust: they carry the serviceaccount token.
 */
public final class CheckTrust {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private CheckTrust() {
    }

    /**
     * @param account     its CAs are trusted besides the system's; unused with {@code insecure}
     * @param systemTrust where the system's CAs are; unused with {@code insecure}
     */
    public static SSLContext sslContext(boolean insecure, ServiceAccount account, TrustSources systemTrust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager trust = insecure ? new TrustingEverything() : verifying(account, systemTrust);
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | IOException unusable) {
            // config already proved EXTRA_CA readable; this is the JDK failing, which a restart will not fix
            throw new IllegalStateException("cannot build the TLS trust for the checks: " + unusable.getMessage(),
                    unusable);
        }
    }

    /** The cluster's CAs first, the system's read only when a chain needs them ({@link ClusterFirstTrust}). */
    private static TrustManager verifying(ServiceAccount account, TrustSources systemTrust)
            throws GeneralSecurityException, IOException {
        List<X509Certificate> extra = account.apiServerCas();
        X509ExtendedTrustManager cluster = extra.isEmpty() ? null : trusting(extra);
        return new ClusterFirstTrust(cluster, () -> {
            SystemCas system = SystemCas.read(systemTrust);
            List<X509Certificate> all = new ArrayList<>(system.certificates());
            all.addAll(extra);
            LOG.log(Level.INFO, "event=trust_store source=" + LogValue.quote(system.source()) + " certificates="
                    + system.certificates().size() + " extra_cas=" + extra.size());
            try {
                return trusting(all);
            } catch (GeneralSecurityException | IOException unusable) {
                // the same JDK built the cluster's trust from the same kind of store: this does not happen
                throw new IllegalStateException("cannot build the TLS trust of the system CAs: " + unusable.getMessage(),
                        unusable);
            }
        });
    }

    private static X509ExtendedTrustManager trusting(List<X509Certificate> cas)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(Pem.trustStore(cas));
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
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
