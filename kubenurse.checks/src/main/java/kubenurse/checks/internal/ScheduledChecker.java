package kubenurse.checks.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.Checker;
import kubenurse.discovery.Neighbour;
import kubenurse.config.Config;
import kubenurse.config.ServiceAccount;
import kubenurse.config.LogValue;

/**
 * Runs each check on a virtual thread every interval. A check never overlaps itself: when its previous
 * run is still going, the new cycle waits for that run instead of starting another, so one hung path
 * delays neither the other checks nor their next runs. A snapshot is published after every result.
 */
public final class ScheduledChecker implements Checker {

    /** The seed caches /alive's results for 3 seconds so /alive cannot cause a storm of checks. */
    static final Duration FRESH_FOR = Duration.ofSeconds(3);
    /**
     * Longest /alive waits for a cycle. A healthy cycle takes milliseconds; a blackholed path takes its full
     * timeout, and /alive then answers with that check's previous result rather than hang for 6 s.
     */
    static final Duration FRESH_WAIT = Duration.ofSeconds(2);
    /** Longest close() waits for interrupted checks to wind down. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final Function<List<Neighbour>, List<Check>> plan;
    private final CheckMetrics metrics;
    private final List<AutoCloseable> resources;
    private final Supplier<List<Neighbour>> neighbours;
    private final Duration interval;
    private final ScheduledExecutorService ticker;
    private final ExecutorService workers;
    private final Map<String, CompletableFuture<CheckResult>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, CheckResult> lastResults = new ConcurrentHashMap<>();
    private final AtomicReference<Cycle> currentCycle = new AtomicReference<>();
    private final AtomicReference<CheckResults> latest;
    private volatile boolean stopping;
    /** The types of the last snapshot; guarded by publish's lock. */
    private final Set<String> publishedTypes = new HashSet<>();

    private record Cycle(long startedNanos, List<Neighbour> neighbours, List<Check> checks,
            CompletableFuture<Void> done) {
    }

    /** Wires the real checks: their trust, proxies, transport and metrics. */
    public static ScheduledChecker create(Config config, PrometheusRegistry registry,
            Supplier<List<Neighbour>> neighbours) {
        ExecutorService clientWork = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-http-client-", 0).factory());
        SSLContext verifying = CheckTrust.sslContext(false, ServiceAccount.of(config));
        GoProxySelector proxy = new GoProxySelector(config.proxy());
        boolean reuse = config.checks().reuseConnections();
        CheckTransport transport = config.checks().insecure()
                ? new CheckTransport(CheckTrust.sslContext(true, ServiceAccount.of(config)),
                        proxy, reuse, clientWork)
                : new CheckTransport(verifying, proxy, reuse, clientWork);
        // the serviceaccount token goes only over TLS verified against ca.crt, whatever KUBENURSE_INSECURE says:
        // an impostor of the API server must not collect it (Go sends it wherever INSECURE lets it connect)
        CheckTransport apiServerTransport = config.checks().insecure()
                ? new CheckTransport(verifying, proxy, reuse, clientWork)
                : transport;
        CheckPlan plan = new CheckPlan(config, transport, apiServerTransport);
        CheckMetrics metrics = new CheckMetrics(registry, config.checks().histogramBuckets());
        return new ScheduledChecker(plan::checks, neighbours, config.checks().interval(), metrics,
                List.of(transport, apiServerTransport, clientWork::shutdownNow));
    }

    /**
     * @param plan       the checks to run for a list of neighbours
     * @param neighbours asked before every cycle
     * @param interval   time between the starts of two scheduled cycles
     * @param metrics    where each run is recorded
     * @param resources  closed, in order, after the checks stopped
     */
    ScheduledChecker(Function<List<Neighbour>, List<Check>> plan, Supplier<List<Neighbour>> neighbours,
            Duration interval, CheckMetrics metrics, List<AutoCloseable> resources) {
        this.plan = plan;
        this.neighbours = neighbours;
        this.interval = interval;
        this.metrics = metrics;
        this.resources = List.copyOf(resources);
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("kubenurse-check-schedule").daemon().factory());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubenurse-check-", 0).factory());
        List<CheckResult> none = plan.apply(List.of()).stream().map(c -> CheckResult.skipped(c.type())).toList();
        this.latest = new AtomicReference<>(new CheckResults(Instant.now(), none, List.of()));
    }

    @Override
    public void start() {
        ticker.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public CheckResults latest() {
        return latest.get();
    }

    @Override
    public CheckResults fresh() {
        Cycle cycle = cycleNotOlderThan(FRESH_FOR);
        try {
            cycle.done().get(FRESH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException slow) {
            // answer with what is known: a check stuck past its timeout is reported by the next cycle
        }
        return latest();
    }

    @Override
    public void close() {
        stopping = true;
        ticker.shutdownNow();
        // interrupt running checks: each cancels its request and reports that kubenurse is stopping
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "event=checks_still_running_at_stop wait=" + STOP_WAIT);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception failed) {
                LOG.log(Level.WARNING, "event=close_failed resource=" + LogValue.quote(resource) + " error="
                        + LogValue.quote(failed));
            }
        }
    }

    private void tick() {
        try {
            startCycle();
        } catch (RuntimeException unexpected) {
            // a schedule that throws is cancelled by the executor: log and keep the schedule alive
            LOG.log(Level.ERROR, "event=check_cycle_failed error=" + LogValue.quote(unexpected));
        }
    }

    /** The running or last cycle when it started within {@code age}, else a new one; one at a time. */
    private Cycle cycleNotOlderThan(Duration age) {
        while (true) {
            Cycle cycle = currentCycle.get();
            if (cycle != null && System.nanoTime() - cycle.startedNanos() < age.toNanos()) {
                return cycle;
            }
            Cycle next = newCycle();
            if (currentCycle.compareAndSet(cycle, next)) {
                run(next);
                return next;
            }
        }
    }

    private void startCycle() {
        Cycle next = newCycle();
        currentCycle.set(next);
        run(next);
    }

    private Cycle newCycle() {
        List<Neighbour> current = List.copyOf(neighbours.get());
        return new Cycle(System.nanoTime(), current, plan.apply(current), new CompletableFuture<>());
    }

    private void run(Cycle cycle) {
        List<CompletableFuture<CheckResult>> runs = new ArrayList<>();
        for (Check check : cycle.checks()) {
            runs.add(runOnce(check, cycle));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> cycle.done().complete(null));
    }

    /** Starts the check unless its previous run is still going, in which case that run stands for it. */
    private CompletableFuture<CheckResult> runOnce(Check check, Cycle cycle) {
        CompletableFuture<CheckResult> run = new CompletableFuture<>();
        CompletableFuture<CheckResult> running = inFlight.putIfAbsent(check.key(), run);
        if (running != null) {
            return running;
        }
        workers.execute(() -> {
            CheckResult result;
            Observation observation = null;
            try {
                observation = check.run();
                result = observation.result();
                if (stopping) {
                    // cut short by close(): not a finding about the network, so neither counted nor logged
                    inFlight.remove(check.key(), run);
                    run.complete(result);
                    return;
                }
                metrics.record(check.type(), observation);
            } catch (RuntimeException bug) {
                LOG.log(Level.ERROR, "event=check_crashed type=" + check.type() + " error=" + LogValue.quote(bug));
                result = new CheckResult(check.type(), "internal error: " + bug);
            }
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "event=check_done type=" + check.type() + " result=" + LogValue.quote(result.outcome())
                        + (observation != null ? timing(observation) : ""));
            }
            record(check.key(), result, cycle);
            inFlight.remove(check.key(), run);
            run.complete(result);
        });
        return run;
    }

    /** The durations the metrics recorded, in milliseconds, for a debug log line. */
    private static String timing(Observation observation) {
        if (observation.skippedRun()) {
            return "";
        }
        String response = observation.responseTime() == null ? ""
                : String.format(Locale.ROOT, " response_ms=%.3f", observation.responseTime().toNanos() / 1e6);
        return response + String.format(Locale.ROOT, " elapsed_ms=%.3f", observation.elapsed().toNanos() / 1e6);
    }

    private void record(String key, CheckResult result, Cycle cycle) {
        CheckResult previous = lastResults.put(key, result);
        if (previous != null && previous.isOk() != result.isOk()) {
            LOG.log(result.isOk() ? Level.INFO : Level.WARNING, "event=check_state_changed type=" + result.type()
                    + " from=" + LogValue.quote(previous.outcome()) + " to=" + LogValue.quote(result.outcome()));
        }
        publish(cycle);
    }

    /** Of two results of one type: a failure before ok, ok before skipped (not run yet). */
    private static CheckResult worse(CheckResult a, CheckResult b) {
        if (!a.isOk() && !a.isSkipped()) {
            return a;
        }
        if (!b.isOk() && !b.isSkipped()) {
            return b;
        }
        return a.isOk() ? a : b;
    }

    /**
     * Snapshot of the latest result of every check of the newest plan, one per type: where two checks share
     * a type (surge pods), a failure of either is shown. Checks no longer planned drop out, and so do the
     * series of their type.
     */
    private synchronized void publish(Cycle cycle) {
        Cycle newest = currentCycle.get() != null ? currentCycle.get() : cycle;
        List<Check> checks = newest.checks();
        Map<String, CheckResult> byType = new LinkedHashMap<>();
        for (Check check : checks) {
            CheckResult last = lastResults.getOrDefault(check.key(), CheckResult.skipped(check.type()));
            byType.merge(check.type(), last, ScheduledChecker::worse);
        }
        List<CheckResult> results = List.copyOf(byType.values());
        Set<String> plannedKeys = checks.stream().map(Check::key).collect(Collectors.toSet());
        lastResults.keySet().retainAll(plannedKeys);
        for (String type : List.copyOf(publishedTypes)) {
            if (!byType.containsKey(type)) {
                // a neighbour that left: its series go, so that dashboards show only current paths
                metrics.forget(type);
            }
        }
        publishedTypes.clear();
        publishedTypes.addAll(byType.keySet());
        latest.set(new CheckResults(Instant.now(), results, newest.neighbours()));
    }
}
