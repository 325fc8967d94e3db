package kubenurse.checks.internal.trace;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLParameters;

/**
 * Which named groups the checks' TLS clients offer a destination. First X25519 and X448 alone: the JDK's client
 * makes a key share for the most preferred group of each kind it offers (X25519 and secp256r1 by default), and a
 * server that picks X25519, as Go's does, never uses the P-256 one, which cost 18 % of a TLS check's CPU
 * (BENCHMARKS.md, section 20). A destination that refuses that handshake (e.g. a Go server built for FIPS 140, NIST
 * curves only) is offered every group the JDK enables from then on, as the JDK's own client would.
 */
public final class KeyShares {

    /** Both of the same kind, so one key share (X25519); X448 only if a server asks for it. */
    static final String[] ONE_SHARE = {"x25519", "x448"};
    /**
     * Destinations remembered at most: the checks' own destinations are few; beyond this bound a refusing
     * destination is not remembered and each of its runs tries once more with every group, which costs time
     * but loses no result.
     */
    static final int REMEMBERED = 1024;

    private final Set<String> everyGroup = ConcurrentHashMap.newKeySet();

    /** Whether {@code host}:{@code port} is offered X25519 and X448 alone. */
    public boolean oneShare(String host, int port) {
        return !everyGroup.contains(destination(host, port));
    }

    /**
     * {@code host}:{@code port} refused a handshake with one key share: offer it every group from now on.
     *
     * @return true when it had been offered one key share (so another attempt may now succeed)
     */
    public boolean offerEveryGroup(String host, int port) {
        String destination = destination(host, port);
        if (everyGroup.contains(destination)) {
            return false;
        }
        if (everyGroup.size() < REMEMBERED) {
            everyGroup.add(destination);
        }
        return true;
    }

    /** Narrows {@code params}, about to be set on an engine connecting to {@code host}:{@code port}. */
    void apply(SSLParameters params, String host, int port) {
        if (host != null && oneShare(host, port)) {
            params.setNamedGroups(ONE_SHARE);
        }
    }

    private static String destination(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
