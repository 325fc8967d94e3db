package kubenurse.http.internal;

/**
 * Limits so that a slow or huge request cannot pin a thread or memory. jdk.httpserver reads them only
 * from system properties, once, when its first server is created; values given on the command line
 * (the launcher's) win over these defaults.
 */
final class ServerLimits {

    /** Seconds to receive a whole request; a client that trickles bytes is cut off. */
    static final String MAX_REQUEST_SECONDS = "10";
    /** Seconds to send a whole response; a scraper that stops reading is cut off. */
    static final String MAX_RESPONSE_SECONDS = "30";
    static final String MAX_HEADERS = "64";
    static final String MAX_HEADER_BYTES = "16384";
    static final String IDLE_SECONDS = "30";
    static final String MAX_CONNECTIONS = "2000";
    /**
     * Kept-alive connections allowed to wait for their next request. The JDK's default, 200, closes any
     * further one as soon as it answered, which a client with more connections (a load test, a busy
     * scraper fleet) sees as a read error; idle ones still go after IDLE_SECONDS.
     */
    static final String MAX_IDLE_CONNECTIONS = MAX_CONNECTIONS;

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
