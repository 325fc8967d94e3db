package kubenurse.config;

/**
 * The UDP probe between neighbours (packet loss, round-trip time and jitter, which an HTTP check over TCP
 * hides behind retransmits). The cycle is KUBENURSE_CHECK_INTERVAL: its probes are spaced evenly over the
 * first half of it.
 *
 * @param enabled KUBENURSE_CHECK_UDP: answer probes and probe the neighbours (in a cluster: local mode has neither)
 * @param port    KUBENURSE_UDP_PORT: where probes are answered, and where the neighbours are probed
 * @param probes  KUBENURSE_UDP_PROBES: probes per neighbour per cycle
 */
public record UdpSettings(boolean enabled, int port, int probes) {

    public static final boolean DEFAULT_ENABLED = true;
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_PROBES = 20;
    /** Upper bound of KUBENURSE_UDP_PROBES: more would only make a cycle a flood. */
    public static final int MAX_PROBES = 1000;

    public UdpSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("UDP port not in 1-65535: " + port);
        }
        if (probes < 1 || probes > MAX_PROBES) {
            throw new IllegalArgumentException("UDP probes per cycle not in 1-" + MAX_PROBES + ": " + probes);
        }
    }
}
