package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import kubenurse.checks.CheckResult;
import org.junit.jupiter.api.Test;

class SeriesJanitorTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CheckMetrics metrics = new CheckMetrics(registry, List.of(0.1, 1.0), false, false);

    @Test
    void theSeriesOfATypeNoLongerPlannedGo() {
        SeriesJanitor janitor = new SeriesJanitor(metrics);
        for (String type : List.of("me_service", "path_node-b", "path_node-c")) {
            metrics.record(type, new Observation(CheckResult.ok(type), OptionalInt.of(200), Duration.ofMillis(1),
                    Duration.ofMillis(1), Map.of(Trace.GOT_FIRST_RESPONSE_BYTE, Duration.ofMillis(1)), null));
        }
        janitor.keepOnly(Set.of("me_service", "path_node-b", "path_node-c"));
        assertEquals(Set.of("me_service", "path_node-b", "path_node-c"), typesExposed());
        janitor.keepOnly(Set.of("me_service", "path_node-c"));
        assertEquals(Set.of("me_service", "path_node-c"), typesExposed());
    }

    private Set<String> typesExposed() {
        Set<String> types = new TreeSet<>();
        registry.scrape().forEach(snapshot -> snapshot.getDataPoints()
                .forEach(point -> types.add(point.getLabels().get("type"))));
        return types;
    }
}
