package kubenurse.checks.internal.udp;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kubenurse.checks.UdpPathResult;
import kubenurse.checks.UdpProbe;
import kubenurse.config.Config;
import kubenurse.config.UdpSettings;
import kubenurse.discovery.Neighbour;

/**
 * Wires the UDP probe from the configuration: off (KUBENURSE_CHECK_UDP=false, or local mode), or a responder and a
 * prober with rate limits to match.
 */
public final class UdpProbeFactory {

    /** Sources the responder keeps a bucket for; beyond, the least recently seen is forgotten. */
    static final int MAX_SOURCES = 4096;

    private UdpProbeFactory() {
    }

    public static UdpProbe create(Config config, PrometheusRegistry registry, Supplier<List<Neighbour>> neighbours) {
        UdpSettings udp = config.udp();
        // outside a cluster there is no neighbour to probe and none probes us: no socket, so that local runs
        // (a laptop, two images on one host) do not contend for the port
        if (!udp.enabled() || config.localMode()) {
            return new UdpProbe() {
                @Override
                public void start() {
                    // off: no socket, no thread, no metric
                }

                @Override
                public Map<String, UdpPathResult> latest() {
                    return Map.of();
                }

                @Override
                public void close() {
                }
            };
        }
        // the neighbours the path checks have: none with the neighbourhood checks off (probes are still answered)
        Supplier<List<Neighbour>> probed = config.checks().neighbourhood() ? neighbours : List::of;
        return new UdpProbing(udp.port(), udp.probes(), config.checks().interval(), probed, new UdpMetrics(registry),
                rateLimit(udp.probes(), config.checks().interval().toNanos() / 1e9));
    }

    /**
     * Twice the rate at which one neighbour probes (its probes come within half an interval), at least 200/s with
     * a burst of 100, so that every configuration's own probes pass; all sources together at least 10,000/s.
     */
    static UdpRateLimit rateLimit(int probes, double intervalSeconds) {
        double perSource = Math.max(200, 4 * probes / intervalSeconds);
        double burst = Math.max(100, probes);
        return new UdpRateLimit(perSource, burst, Math.max(10_000, 20 * perSource), Math.max(1_000, 10 * burst),
                MAX_SOURCES);
    }
}
