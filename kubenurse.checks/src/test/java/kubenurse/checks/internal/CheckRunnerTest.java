package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kubenurse.checks.CheckResult;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CheckRunner runner = new CheckRunner(new CheckMetrics(registry, List.of(0.1, 1.0), false, false), stopping::get);

    private static Check returning(String type) {
        return new ScheduledCheckerTest.CheckOf(type, () -> ScheduledCheckerTest.ok(type));
    }

    private String exposedTypes() {
        StringBuilder types = new StringBuilder();
        registry.scrape().forEach(snapshot -> snapshot.getDataPoints()
                .forEach(point -> types.append(point.getLabels().get("type")).append(' ')));
        return types.toString();
    }

    @Test
    void aResultIsRecordedAndReturned() {
        assertEquals(Optional.of(CheckResult.ok("me_service")), runner.run(returning("me_service")));
        assertTrue(exposedTypes().contains("me_service"), exposedTypes());
    }

    @Test
    void aCrashIsAResult() {
        Check crashing = ScheduledCheckerTest.throwing("extra", new AtomicInteger(), new IllegalStateException("boom"));
        assertEquals(Optional.of(new CheckResult("extra", "internal error: java.lang.IllegalStateException: boom")),
                runner.run(crashing));
    }

    @Test
    void aRunEndingWhileStoppingIsNoFinding() {
        stopping.set(true);
        assertEquals(Optional.empty(), runner.run(returning("path_node-a")));
        assertEquals("", exposedTypes(), "nothing recorded");
    }
}
