package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.checks.UdpPathResult;
import kubenurse.discovery.Neighbour;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/** Responder and prober together: a kubenurse that probes itself on loopback gets every probe answered. */
class UdpProbingTest {

    @Test
    void probesItsOwnResponderWithoutLoss() throws Exception {
        Neighbour self = new Neighbour("pod-a", "127.0.0.1", "127.0.0.1", "node-a", "Running");
        try (UdpProbing probing = new UdpProbing(0, 10, Duration.ofSeconds(1), () -> List.of(self),
                new UdpMetrics(new PrometheusRegistry()), UdpProbeFactory.rateLimit(10, 1))) {
            probing.start();
            Map<String, UdpPathResult> latest = Eventually.within(Duration.ofSeconds(10), "a first cycle's results",
                    probing::latest, results -> !results.isEmpty());
            UdpPathResult result = latest.get("path_node-a");
            assertEquals(10, result.sent(), latest.toString());
            assertEquals(0, result.lost(), latest.toString());
            assertEquals(UdpPathResult.ANSWERING, result.state());
            assertThrows(IllegalStateException.class, probing::start, "one start only");
        }
    }
}
