package kubenurse.http.internal;

/**
 * Limits so that no number of connections, slow or idle, can exhaust the heap, while a well-behaved client
 * still gets an answer at once. jdk.httpserver reads them only from system properties, once, when its first
 * server is created; values given on the command line (the launcher's) win over these defaults.
 *
 * <p>Sized from the measured heap cost of a connection in the image (bench/connection-cost.sh, BENCHMARKS.md):
 * about 25 KB idle after a request, 31 KB with a request head in progress, plus ~2.5 bytes per byte of head
 * received, so 41 KB with a head at {@link #MAX_HEADER_BYTES}. At {@link #MAX_CONNECTIONS} connections that is
 * at most ~50 MB, inside the image's 64 MiB heap beside the few MB that kubenurse itself keeps.
 */
final class ServerLimits {

    /**
     * Seconds to receive a whole request; a client that trickles bytes is cut off and its connection freed.
     * Every legitimate client (neighbours, kubelet, Prometheus, the ingress controller) is on the cluster
     * network and sends its request head in one packet.
     */
    static final String MAX_REQUEST_SECONDS = "5";
    /** Seconds to send a whole response; a scraper that stops reading is cut off. */
    static final String MAX_RESPONSE_SECONDS = "30";
    static final String MAX_HEADERS = "64";
    /** Bytes of request head (names + values + 32 per line); what our clients send is well under 1 KB. */
    static final String MAX_HEADER_BYTES = "4096";
    static final String IDLE_SECONDS = "30";
    static final String MAX_CONNECTIONS = "1200";
    /**
     * Kept-alive connections allowed to wait for their next request; any further one is closed as soon as it
     * has its answer. Real clients keep one or two each (Prometheus, the ingress controller); a client that
     * opens a thousand and keeps them all would otherwise hold every connection slot.
     */
    static final String MAX_IDLE_CONNECTIONS = "64";

    private ServerLimits() {
    }

    static void applyDefaults() {
        setIfAbsent("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        setIfAbsent("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES);
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_SECONDS);
        setIfAbsent("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
        setIfAbsent("sun.net.httpserver.maxIdleConnections", MAX_IDLE_CONNECTIONS);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
