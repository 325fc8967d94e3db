package kubenurse.checks.internal.trace;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timeline of one check's request: moments really observed, as time since the request began.
 * Written by the resolver, the TLS engine and the response handler (on whichever thread they run),
 * read once the request is over.
 */
public final class Trace {

    public static final String DNS_START = "dns_start";
    public static final String DNS_DONE = "dns_done";
    public static final String TLS_HANDSHAKE_START = "tls_handshake_start";
    public static final String TLS_HANDSHAKE_DONE = "tls_handshake_done";
    public static final String GOT_FIRST_RESPONSE_BYTE = "got_first_resp_byte";

    /**
     * The trace of the request being made on this thread. The JDK calls the resolver and the TLS engine
     * from inside java.net.http, which passes no context of ours; a scoped value bound around the call
     * (and around every task of the request's executor) carries it there.
     */
    public static final ScopedValue<Trace> CURRENT = ScopedValue.newInstance();

    private volatile long startNanos = System.nanoTime();
    private final Map<String, Long> events = new LinkedHashMap<>();
    private volatile String unfinishedLookup;
    private volatile boolean oneShareRefused;

    /** Starts the clock: called right before the request is sent, once the client is ready. */
    public void begin() {
        startNanos = System.nanoTime();
    }

    public long startNanos() {
        return startNanos;
    }

    /** Records the first occurrence of an event, now. */
    public synchronized void mark(String event) {
        events.putIfAbsent(event, System.nanoTime());
    }

    public synchronized boolean has(String event) {
        return events.containsKey(event);
    }

    /**
     * The resolver gave up on the request's lookup, in these words. java.net.http turns every failed lookup
     * into an unresolved address (or a timeout of its own), so why it failed travels here.
     */
    public void lookupUnfinished(String words) {
        unfinishedLookup = words;
    }

    /** A server refused a TLS handshake offered one key share (KeyShares): the run may try again. */
    void oneShareRefused() {
        oneShareRefused = true;
    }

    /** Whether a server refused a handshake offered one key share in this run. */
    public boolean oneShareWasRefused() {
        return oneShareRefused;
    }

    /** The words of a lookup given up, or null. */
    public String unfinishedLookup() {
        return unfinishedLookup;
    }

    /** Each observed event's time since the request began, in the order they happened. */
    public synchronized Map<String, Duration> sinceStart() {
        Map<String, Duration> since = new LinkedHashMap<>();
        events.forEach((event, nanos) -> since.put(event, Duration.ofNanos(Math.max(0, nanos - startNanos))));
        return since;
    }
}
