package kubenurse.config;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLProtocolException;

/**
 * Which named groups our TLS clients (the checks', and discovery's to the API server) offer a destination. First
 * X25519 and X448 alone: the JDK's client makes a key share for the most preferred group of each kind it offers
 * (X25519 and secp256r1 by default), and a server that picks X25519, as Go's does, never uses the P-256 one, which
 * cost 18 % of a TLS check's CPU (BENCHMARKS.md, section 20). A destination whose server refuses that handshake (e.g. a Go server built for
 * FIPS 140, NIST curves only) is offered every group the JDK enables from then on, as the JDK's own client would.
 */
public final class KeyShares {

    private static final Logger LOG = System.getLogger("kubenurse.tls");
    /** Both of the same kind, so one key share (X25519); X448 only if a server asks for it. */
    static final List<String> ONE_SHARE = List.of("x25519", "x448");
    /** Destinations remembered at most, the least recently refused forgotten first (pod IPs come and go). */
    static final int REMEMBERED = 1024;
    /**
     * The alerts a server sends when it shares no group with us: Go's and OpenSSL's handshake_failure, the JDK's
     * unexpected_message, and insufficient_security and illegal_parameter, which the RFC allows for it.
     */
    private static final List<String> NO_SHARED_GROUP = List.of("handshake_failure", "unexpected_message",
            "insufficient_security", "illegal_parameter");

    private final String[] oneShare;
    private final Map<String, Boolean> everyGroup = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param enabled the named groups the JDK enables (an SSLContext's default parameters; e.g. jdk.tls.namedGroups
     *                or a FIPS provider narrow them): one key share is offered only from those, and never when
     *                neither X25519 nor X448 is among them
     */
    public KeyShares(String[] enabled) {
        List<String> on = enabled == null ? List.of() : Arrays.asList(enabled);
        this.oneShare = ONE_SHARE.stream().filter(on::contains).toArray(String[]::new);
    }

    /** For the clients of {@code tls}: the groups it enables are its default parameters'. */
    public static KeyShares of(SSLContext tls) {
        return new KeyShares(tls.getDefaultSSLParameters().getNamedGroups());
    }

    /**
     * Narrows {@code params}, about to be set on an engine connecting to {@code host}:{@code port}.
     *
     * @return true when they were narrowed to one key share
     */
    boolean apply(SSLParameters params, String host, int port) {
        if (host == null || oneShare.length == 0) {
            return false;
        }
        synchronized (everyGroup) {
            if (everyGroup.containsKey(destination(host, port))) {
                return false;
            }
        }
        params.setNamedGroups(oneShare);
        return true;
    }

    /**
     * The handshake with {@code host}:{@code port}, offered one key share, failed with {@code failure}: when the
     * server refused it, that destination is offered every group from now on.
     *
     * @return true when the server refused it (another attempt may succeed)
     */
    boolean refused(String host, int port, SSLException failure) {
        if (!refusedBy(failure)) {
            return false;
        }
        String destination = destination(host, port);
        synchronized (everyGroup) {
            everyGroup.put(destination, Boolean.TRUE);
        }
        LOG.log(Level.INFO, "event=tls_key_share_refused host=" + LogValue.quote(destination)
                + " action=\"every named group offered from now on\"");
        return true;
    }

    /** An alert that a server sharing no group with us sends, not our verdict on its certificate. */
    static boolean refusedBy(SSLException failure) {
        if (!(failure instanceof SSLHandshakeException || failure instanceof SSLProtocolException)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return false;
            }
        }
        String words = String.valueOf(failure.getMessage());
        return words.contains("Received fatal alert") && NO_SHARED_GROUP.stream().anyMatch(words::contains);
    }

    private static String destination(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
