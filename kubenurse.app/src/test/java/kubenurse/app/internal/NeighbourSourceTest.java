package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbours;
import org.junit.jupiter.api.Test;

/** Local mode (no KUBERNETES_SERVICE_HOST): no discovery, nobody to check, our node counts as ready. */
class NeighbourSourceTest {

    @Test
    void localModeIsTheEmptySnapshotWithAReadyNode() {
        try (NeighbourSource source = NeighbourSource.of(Config.fromEnvironment(Map.of(), "host"))) {
            assertSame(Neighbours.none(), source.snapshot());
            assertEquals(List.of(), source.neighbours().get());
            assertTrue(source.ownNodeReady().getAsBoolean());
            assertEquals("skipped", source.state().get());
            PrometheusRegistry registry = new PrometheusRegistry();
            source.registerHealth(registry);
            assertEquals(List.of(), registry.scrape().stream().map(s -> s.getMetadata().getName()).toList(),
                    "no discovery health without discovery");
        }
    }
}
