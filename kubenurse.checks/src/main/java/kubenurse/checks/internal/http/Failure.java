package kubenurse.checks.internal.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import kubenurse.checks.internal.trace.Trace;
import kubenurse.config.GoDuration;

/**
 * Why a request got no response, in the words /alive shows ("connection refused", "timeout after 6s",
 * "unknown host kubernetes.default.svc.cluster.local", "DNS lookup of ... timed out after 6s", "certificate
 * not trusted ..."), and the phase it failed in, the event label of kubenurse_errors_total.
 *
 * @param words what went wrong, for an operator
 * @param phase dns_start (a lookup that never finished), dns_done, connect_done, tls_handshake_done or
 *              round_trip_error
 */
public record Failure(String words, String phase) {

    public static final String DNS_UNFINISHED = "dns_start";
    public static final String DNS = "dns_done";
    public static final String CONNECT = "connect_done";
    public static final String TLS = "tls_handshake_done";
    public static final String ROUND_TRIP = "round_trip_error";

    static Failure timeout(Duration requestTimeout, Trace trace) {
        if (trace.unfinishedLookup() != null) {
            return new Failure(trace.unfinishedLookup(), DNS_UNFINISHED);
        }
        String words = "timeout after " + GoDuration.format(requestTimeout);
        if (trace.has(Trace.TLS_HANDSHAKE_START) && !trace.has(Trace.TLS_HANDSHAKE_DONE)) {
            return new Failure(words + " during the TLS handshake", TLS);
        }
        return new Failure(words, ROUND_TRIP);
    }

    static Failure of(Throwable thrown, String host, Duration connectTimeout, Duration requestTimeout, Trace trace) {
        if (trace.unfinishedLookup() != null) {
            // whatever java.net.http made of it (an unresolved address, a timeout), the lookup is what failed
            return new Failure(trace.unfinishedLookup(), DNS_UNFINISHED);
        }
        if (has(thrown, HttpConnectTimeoutException.class)) {
            return new Failure("connect timeout after " + GoDuration.format(connectTimeout), CONNECT);
        }
        if (has(thrown, HttpTimeoutException.class)) {
            return timeout(requestTimeout, trace);
        }
        if (has(thrown, UnknownHostException.class) || has(thrown, UnresolvedAddressException.class)) {
            return new Failure("unknown host " + host, DNS);
        }
        if (has(thrown, NoRouteToHostException.class)) {
            return new Failure("no route to host " + host, CONNECT);
        }
        if (has(thrown, ConnectException.class)) {
            String message = messages(thrown);
            // java.net.http reports a refused connect as a ConnectException around the channel it closed
            if (message.contains("refused") || has(thrown, ClosedChannelException.class)) {
                return new Failure("connection refused", CONNECT);
            }
            if (message.contains("unreachable")) {
                return new Failure("network unreachable", CONNECT);
            }
            return new Failure("connect failed: " + describe(thrown), CONNECT);
        }
        if (has(thrown, SSLException.class) || trace.has(Trace.TLS_HANDSHAKE_START) && !trace.has(Trace.TLS_HANDSHAKE_DONE)) {
            return new Failure(tlsWords(thrown, host), TLS);
        }
        String message = messages(thrown);
        if (message.contains("reset")) {
            return new Failure("connection reset by peer", ROUND_TRIP);
        }
        if (message.contains("eof") || message.contains("closed") || message.contains("no bytes")) {
            return new Failure("connection closed by peer before the response", ROUND_TRIP);
        }
        return new Failure("request failed: " + describe(thrown), ROUND_TRIP);
    }

    private static String tlsWords(Throwable thrown, String host) {
        String message = messages(thrown);
        CertificateExpiredException expired = find(thrown, CertificateExpiredException.class);
        if (expired != null) {
            return "certificate expired (" + expired.getMessage() + ")";
        }
        if (find(thrown, CertificateNotYetValidException.class) != null) {
            return "certificate not yet valid";
        }
        if (message.contains("no subject alternative") || message.contains("no name matching")) {
            return "certificate not valid for host " + host;
        }
        if (message.contains("unable to find valid certification path") || message.contains("pkix path")
                || has(thrown, CertPathValidatorException.class)) {
            return "certificate of " + host + " not trusted (no path to a trusted CA)";
        }
        return "TLS handshake failed: " + describe(thrown);
    }

    private static boolean has(Throwable thrown, Class<? extends Throwable> type) {
        return find(thrown, type) != null;
    }

    private static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Every message of the cause chain in lower case, for matching the JDK's wording. */
    private static String messages(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getMessage()).append(' ');
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    private static String describe(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }
}
