package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kubenurse.checks.CheckResult;
import kubenurse.testing.LogLines;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.Failure;
import kubenurse.checks.internal.http.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CheckRunner runner = new CheckRunner(new CheckMetrics(registry, List.of(0.1, 1.0), false), stopping::get,
            new TlsSpacing(java.time.Duration.ofSeconds(5)));

    private LogLines logged;

    @BeforeEach
    void listen() {
        logged = LogLines.listen("kubenurse.checks", "event=check_failed");
    }

    @AfterEach
    void stopListening() {
        logged.close();
    }

    private static Check failing(String type, String words, String errorEvent) {
        return new ScheduledCheckerTest.CheckOf(type, () -> new Observation(new CheckResult(type, words),
                OptionalInt.empty(), null, Duration.ofMillis(1), Map.of(), errorEvent));
    }

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

    @Test
    void aCheckRefusedFromItsFirstRunLogsEveryFailedRunAsAnError() {
        Check refused = failing("closed", "connection refused", Failure.CONNECT);
        for (int run = 0; run < 3; run++) {
            runner.run(refused);
        }
        runner.run(returning("me_service"));
        assertEquals(List.of(
                "SEVERE event=check_failed type=closed trace_event=connect_done error=\"connection refused\"",
                "SEVERE event=check_failed type=closed trace_event=connect_done error=\"connection refused\"",
                "SEVERE event=check_failed type=closed trace_event=connect_done error=\"connection refused\""), logged.lines());
    }

    @Test
    void aFailureLineHidesUserinfoAndIsBounded() {
        runner.run(failing("extra", "request failed: IOException: no proxy for https://admin:s3cret@example.com/x "
                + "x".repeat(2000), Failure.ROUND_TRIP));
        assertEquals(1, logged.lines().size());
        String line = logged.lines().getFirst();
        assertTrue(line.contains("https://<redacted>@example.com/x") && !line.contains("s3cret"), line);
        assertTrue(line.length() < 700 && line.endsWith("more chars)\""), line);
    }

    @Test
    void aRunCutShortByStoppingLogsNoFailure() {
        stopping.set(true);
        runner.run(failing("closed", "interrupted: kubenurse is stopping", Failure.ROUND_TRIP));
        assertEquals(List.of(), logged.lines());
    }

    @Test
    void debugMillisecondsReadAsPercentThreeF() {
        java.util.Random random = new java.util.Random(7);
        long[] edges = {0, 1, 499, 500, 999_499, 999_500, 1_000_000, 42_457_499, 42_457_500, 59_999_999_999L};
        for (long nanos : edges) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6),
                    CheckRunner.millis(java.time.Duration.ofNanos(nanos)), nanos + " ns");
        }
        for (int i = 0; i < 10_000; i++) {
            long nanos = (long) (random.nextDouble() * 60e9);
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6),
                    CheckRunner.millis(java.time.Duration.ofNanos(nanos)), nanos + " ns");
        }
    }
}
