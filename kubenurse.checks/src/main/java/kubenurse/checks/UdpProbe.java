package kubenurse.checks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kubenurse.checks.internal.udp.UdpProbeFactory;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbour;

/**
 * The UDP probe between neighbours (KUBENURSE_CHECK_UDP): answers probes on KUBENURSE_UDP_PORT and probes
 * the chosen neighbours there, every KUBENURSE_CHECK_INTERVAL, on a schedule of its own beside the HTTP checks,
 * so that packet loss TCP would hide behind retransmits shows as loss. Switched off, and outside a cluster (local
 * mode, where there is nobody to probe), it opens no socket. With KUBENURSE_CHECK_NEIGHBOURHOOD=false it answers
 * but probes nobody, as the path checks then have no neighbours.
 */
public interface UdpProbe extends AutoCloseable {

    /**
     * @param config     the configuration in effect
     * @param registry   where the kubenurse_udp_* metrics are registered
     * @param neighbours the neighbours the path checks have chosen, asked at every cycle
     */
    static UdpProbe create(Config config, PrometheusRegistry registry, Supplier<List<Neighbour>> neighbours) {
        return UdpProbeFactory.create(config, registry, neighbours);
    }

    /**
     * Binds the UDP port, starts answering and starts the probe schedule (the first cycle at once).
     *
     * @throws IOException when the port cannot be bound (the message names it)
     */
    void start() throws IOException;

    /** Each probed neighbour's last completed cycle, by type (path_NODE), in the neighbours' order; never waits. */
    Map<String, UdpPathResult> latest();

    /** Stops the schedule and the responder and closes every socket. */
    @Override
    void close();
}
