package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.OptionalInt;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.CheckTransport;
import kubenurse.checks.internal.http.Connections;
import kubenurse.checks.internal.http.GoProxySelector;
import kubenurse.checks.internal.http.HttpCheck;
import kubenurse.checks.internal.http.Observation;
import kubenurse.checks.internal.http.SkippedCheck;
import kubenurse.discovery.Neighbour;
import kubenurse.config.ProxySettings;
import javax.net.ssl.SSLContext;
import kubenurse.testing.CannedResponse;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

class ScheduledCheckerTest {

    static final kubenurse.checks.internal.verdict.Verdicts VERDICTS_OFF = kubenurse.checks.internal.verdict.Verdicts.off(
            kubenurse.config.Config.fromEnvironment(Map.of(), "test"));

    /** A check that counts its runs and can be held until released. */
    static final class CountingCheck implements Check {
        final String type;
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile CountDownLatch hold = new CountDownLatch(0);

        CountingCheck(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Observation run() {
            runs.incrementAndGet();
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
            return ok(type);
        }
    }

    @Test
    void concurrentFreshRequestsShareOneCycle() throws Exception {
        CountingCheck check = new CountingCheck("me_service");
        check.hold = new CountDownLatch(1);
        try (ScheduledChecker checker = checker(n -> List.of(check), List::of, Duration.ofHours(1));
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CheckResults>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                answers.add(callers.submit(checker::fresh));
            }
            Thread.sleep(200);
            check.hold.countDown();
            for (Future<CheckResults> answer : answers) {
                assertEquals("ok", answer.get(10, TimeUnit.SECONDS).outcome("me_service").orElseThrow());
            }
            assertEquals(1, check.runs.get(), "100 concurrent /alive requests ran the check once");
            checker.fresh();
            assertEquals(1, check.runs.get(), "a cycle younger than 3 s is reused");
        }
    }

    @Test
    void aCheckNeverOverlapsItselfAndAHungCheckDelaysNoOther() throws Exception {
        CountingCheck hung = new CountingCheck("path_hung");
        hung.hold = new CountDownLatch(1);
        CountingCheck fast = new CountingCheck("path_fast");
        try (ScheduledChecker checker = checker(n -> List.of(hung, fast), List::of, Duration.ofMillis(50))) {
            checker.start();
            waitFor(() -> fast.runs.get() >= 10, Duration.ofSeconds(5));
            assertEquals(1, hung.runs.get(), "the hung check is not started again while it runs");
            assertEquals(1, hung.maxConcurrent.get());
            assertEquals("ok", checker.latest().outcome("path_fast").orElseThrow(),
                    "the fast check's result is published while the other hangs");
            hung.hold.countDown();
            waitFor(() -> hung.runs.get() >= 2, Duration.ofSeconds(5));
        }
    }

    @Test
    void firstCycleRunsAtStart() throws Exception {
        CountingCheck check = new CountingCheck("me_service");
        try (ScheduledChecker checker = checker(n -> List.of(check), List::of, Duration.ofHours(1))) {
            checker.start();
            waitFor(() -> checker.latest().outcome("me_service").orElse("").equals("ok"), Duration.ofSeconds(5));
        }
    }

    @Test
    void resultsFollowThePlanAndDropChecksNoLongerPlanned() throws Exception {
        AtomicReference<List<Neighbour>> neighbours = new AtomicReference<>(List.of(
                new Neighbour("a", "10.0.0.1", "192.168.0.1", "node-a", "Running"),
                new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running")));
        try (ScheduledChecker checker = checker(
                n -> {
                    List<Check> checks = new ArrayList<>();
                    checks.add(new SkippedCheck("api_server_direct"));
                    n.forEach(neighbour -> checks.add(new CountingCheck(neighbour.checkType())));
                    return checks;
                }, neighbours::get, Duration.ofHours(1))) {
            CheckResults first = checker.fresh();
            assertEquals(Map.of("api_server_direct", "skipped", "path_node-a", "ok", "path_node-b", "ok"), first.byType());
            assertEquals(List.of("api_server_direct", "path_node-a", "path_node-b"), List.copyOf(first.byType().keySet()));
            assertEquals(2, first.neighbourhood().size());

            neighbours.set(List.of(new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running")));
            Thread.sleep(ScheduledChecker.FRESH_FOR.toMillis() + 100);
            CheckResults second = checker.fresh();
            assertEquals(List.of("api_server_direct", "path_node-b"), List.copyOf(second.byType().keySet()));
            assertEquals(1, second.neighbourhood().size());
        }
    }

    @Test
    void aCrashingCheckBecomesAResultAndTheScheduleGoesOn() throws Exception {
        CheckResults latest = latestOnceRunThrice(new IllegalStateException("boom"));
        String outcome = latest.outcome("extra").orElseThrow();
        assertTrue(outcome.contains("boom"), outcome);
        assertTrue(!latest.healthy());
    }

    /**
     * A run that fails beyond what a check turns into a result (an Error from the check or from recording
     * its metrics, say an OutOfMemoryError creating a series) must not keep the check marked as running:
     * the next cycle runs it again.
     */
    @Test
    void aCheckWhoseRunThrowsAnErrorStillRunsOnTheNextCycle() throws Exception {
        latestOnceRunThrice(new AssertionError("recording failed"));
    }

    /** Schedules a check "extra" that throws {@code failure} every 50 ms; fails unless it ran three times within 5 s. */
    private static CheckResults latestOnceRunThrice(Throwable failure) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Check failing = throwing("extra", runs, failure);
        try (ScheduledChecker checker = checker(n -> List.of(failing), List::of, Duration.ofMillis(50))) {
            checker.start();
            waitFor(() -> runs.get() >= 3, Duration.ofSeconds(5));
            return checker.latest();
        }
    }

    @Test
    void aRunCutShortByCloseIsNeitherCountedNorPublished() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Check interruptible = new Check() {
            @Override
            public String type() {
                return "path_node-a";
            }

            @Override
            public Observation run() {
                started.countDown();
                try {
                    Thread.sleep(30_000);
                    return ok(type());
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    return new Observation(new CheckResult(type(), "interrupted: kubenurse is stopping"),
                            OptionalInt.empty(), null, Duration.ofMillis(5), Map.of(), "round_trip");
                }
            }
        };
        PrometheusRegistry registry = new PrometheusRegistry();
        ScheduledChecker checker = new ScheduledChecker(n -> List.of(interruptible), kubenurse.discovery.Neighbours::none, Duration.ofHours(1),
                new CheckMetrics(registry, List.of(0.1, 1.0), false), VERDICTS_OFF, departed -> { }, List.of());
        checker.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        checker.close();
        String exposed = registry.scrape().stream()
                .flatMap(snapshot -> snapshot.getDataPoints().stream())
                .map(point -> point.getLabels().toString())
                .reduce("", String::concat);
        assertTrue(!exposed.contains("path_node-a"), "no series for the interrupted run: " + exposed);
        assertEquals("skipped", checker.latest().outcome("path_node-a").orElseThrow(), "not shown as a failure");
    }

    /**
     * A target that answers with a status line of its own making: the JDK quotes that line in its protocol
     * error, which becomes the result text. In the log it stays one value of one line, escaped.
     */
    @Test
    void aTargetsTextIsEscapedInTheLog() throws Exception {
        String hostile = "HTTP/1.1 x\" level=error fake=1 \u001b[31m";
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("kubenurse.checks");
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level before = jul.getLevel();
        jul.setLevel(java.util.logging.Level.FINE);
        jul.addHandler(capture);
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ExecutorService clientWork = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread.ofVirtual().start(() -> CannedResponse.serve(target, hostile + "\r\n\r\n"));
            CheckTransport transport = new CheckTransport(SSLContext.getDefault(),
                    new GoProxySelector(ProxySettings.none()), Connections.of(false), clientWork);
            Check check = new HttpCheck("hostile", URI.create("http://127.0.0.1:" + target.getLocalPort() + "/"),
                    Map::of, transport);
            try (ScheduledChecker checker = checker(n -> List.of(check), List::of, Duration.ofHours(1))) {
                String outcome = checker.fresh().outcome("hostile").orElseThrow();
                assertTrue(outcome.contains(hostile), "the result carries the target's text: " + outcome);
            }
        } finally {
            jul.removeHandler(capture);
            jul.setLevel(before);
        }
        List<String> lines = records.stream().map(java.util.logging.LogRecord::getMessage)
                .filter(m -> m.startsWith("event=check_done type=hostile ")).toList();
        assertEquals(1, lines.size(), "one line for one run: " + lines);
        String line = lines.getFirst();
        assertTrue(line.contains("x\\\" level=error fake=1 \\u001b[31m"), "escaped in place: " + line);
        assertFalse(line.chars().anyMatch(Character::isISOControl), "no raw control character: " + line);
        assertEquals(List.of("event", "type", "result", "elapsed_ms"), keys(line), line);
    }

    /** The keys of a key=value line whose values may be quoted with backslash escapes. */
    private static List<String> keys(String line) {
        List<String> keys = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int equals = line.indexOf('=', i);
            keys.add(line.substring(i, equals));
            i = equals + 1;
            if (i < line.length() && line.charAt(i) == '"') {
                for (i++; line.charAt(i) != '"'; i++) {
                    if (line.charAt(i) == '\\') {
                        i++;
                    }
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    i++;
                }
            }
            i++; // the space before the next key
        }
        return keys;
    }

    /** A check of {@code type} whose run is {@code body}. */
    record CheckOf(String type, Supplier<Observation> body) implements Check {
        @Override
        public Observation run() {
            return body.get();
        }
    }

    /** A check that counts its runs and throws {@code failure} (unchecked) on each. */
    static Check throwing(String type, AtomicInteger runs, Throwable failure) {
        return new CheckOf(type, () -> {
            runs.incrementAndGet();
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        });
    }

    static Observation ok(String type) {
        return new Observation(CheckResult.ok(type), OptionalInt.of(200), Duration.ofMillis(1), Duration.ofMillis(1),
                Map.of(), null);
    }

    static ScheduledChecker checker(Function<List<Neighbour>, List<Check>> plan, Supplier<List<Neighbour>> neighbours,
            Duration interval) {
        return new ScheduledChecker(plan, () -> new kubenurse.discovery.Neighbours(neighbours.get(), true), interval,
                new CheckMetrics(new PrometheusRegistry(), List.of(0.1, 1.0), false),
                VERDICTS_OFF, departed -> { }, List.of());
    }

    /** {@link Eventually} for this package's schedule tests, which need no more than "the condition". */
    static void waitFor(BooleanSupplier condition, Duration limit) {
        Eventually.within(limit, "condition", condition::getAsBoolean, Boolean::booleanValue);
    }
}
