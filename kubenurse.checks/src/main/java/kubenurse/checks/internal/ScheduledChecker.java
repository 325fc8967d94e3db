package kubenurse.checks.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kubenurse.checks.CheckResults;
import kubenurse.checks.Checker;
import kubenurse.checks.VmHistogramCounts;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.verdict.Verdicts;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import kubenurse.config.LogValue;

/**
 * Runs each check on a virtual thread every interval and on /alive's demand. A check never overlaps
 * itself: when its previous run is still going, the new cycle waits for that run instead of starting
 * another, so one hung path delays neither the other checks nor their next runs.
 */
final class ScheduledChecker implements Checker {

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

    private final List<AutoCloseable> resources;
    private final CheckSchedule schedule;
    private final FreshCycles cycles;
    private final ExecutorService workers;
    private final InFlight inFlight = new InFlight();
    private final CheckRunner runner;
    private final TlsSpacing tlsSpacing;
    private final ResultsPublisher publisher;
    private final CheckMetrics metrics;
    private final Consumer<Departures> forgetElsewhere;
    private final Function<List<Neighbour>, List<Check>> plan;
    private final Supplier<Neighbours> neighbours;
    private final Verdicts verdicts;
    private volatile boolean started;
    private volatile boolean stopping;

    /**
     * @param plan       the checks to run for a list of neighbours
     * @param neighbours discovery's snapshot, taken once before every cycle
     * @param interval   time between the starts of two scheduled cycles
     * @param metrics    where each run is recorded
     * @param forget     told, once per cycle, of the checks that left the plan (e.g. their clients), besides the
     *                   results, state changes and metric series, which are forgotten here
     * @param verdicts   told every result, judged at every scheduled cycle's start
     * @param resources  closed, in order, after the checks stopped
     */
    ScheduledChecker(Function<List<Neighbour>, List<Check>> plan, Supplier<Neighbours> neighbours,
            Duration interval, CheckMetrics metrics, Verdicts verdicts, Consumer<Departures> forget,
            List<AutoCloseable> resources) {
        this.resources = List.copyOf(resources);
        this.schedule = new CheckSchedule(interval);
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kubenurse-check-", 0).factory());
        this.metrics = metrics;
        this.tlsSpacing = new TlsSpacing(interval);
        this.runner = new CheckRunner(metrics, () -> stopping, tlsSpacing);
        this.publisher = new ResultsPublisher(plan.apply(List.of()), new StateChangeLog());
        this.forgetElsewhere = forget;
        this.plan = plan;
        this.neighbours = neighbours;
        this.verdicts = verdicts;
        this.cycles = new FreshCycles(() -> {
            Neighbours current = neighbours.get();
            return Cycle.startingNow(current, plan.apply(current.neighbours()));
        }, this::run);
    }

    @Override
    public void start() {
        started = true;
        schedule.start(() -> {
            judge();
            cycles.startNow();
        });
    }

    @Override
    public void neighboursChanged(Neighbours snapshot) {
        if (!started || stopping) {
            return;
        }
        List<Check> checks = plan.apply(snapshot.neighbours());
        List<Check> added = publisher.notPlanned(checks);
        if (!added.isEmpty()) {
            // only the added checks: a full cycle on every change would multiply the API server checks in a rollout
            run(Cycle.addingNow(snapshot, checks, added));
        }
    }

    @Override
    public void leaving() {
        verdicts.leaving();
    }

    @Override
    public CheckResults latest() {
        return publisher.latest();
    }

    @Override
    public CheckResults fresh() {
        Cycle cycle = cycles.notOlderThan(FRESH_FOR);
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
    public List<VmHistogramCounts> victoriaMetricsHistograms() {
        return metrics.victoriaMetrics();
    }

    @Override
    public void close() {
        stopping = true;
        schedule.close();
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

    /** Shows the cycle's plan, then starts each check it starts that is not still running from before. */
    private void run(Cycle cycle) {
        publisher.plan(cycle).filter(departed -> !departed.isEmpty()).ifPresent(departed -> {
            // dashboards show current paths only
            departed.types().forEach(metrics::forget);
            verdicts.forget(departed.keys());
            forgetElsewhere.accept(departed);
        });
        List<Check> starting = cycle.starting();
        Duration spacing = tlsSpacing.spacing((int) starting.stream().filter(Check::tls).count());
        CompletableFuture<?>[] runs = new CompletableFuture<?>[starting.size()];
        int tls = 0;
        for (int i = 0; i < runs.length; i++) {
            Check check = starting.get(i);
            // TLS checks a handshake apart (TlsSpacing), so that none reports another's CPU as network time
            Duration delay = check.tls() ? spacing.multipliedBy(tls++) : Duration.ZERO;
            runs[i] = inFlight.runUnlessRunning(check.key(), workers, () -> runOnceAfter(delay, check));
        }
        CompletableFuture.allOf(runs).whenComplete((ignored, error) -> cycle.done().complete(null));
    }

    private void runOnceAfter(Duration delay, Check check) {
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException closing) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        runOnce(check);
    }

    private void runOnce(Check check) {
        runner.run(check).ifPresent(result -> {
            publisher.publish(check, result);
            verdicts.observe(check.key(), result);
        });
    }

    /** Judges the verdicts from the results so far, before a scheduled cycle (not /alive's: they keep no pace). */
    private void judge() {
        Set<String> pathKeys = publisher.planned().stream().filter(check -> check.type().startsWith("path_"))
                .map(Check::key).collect(Collectors.toSet());
        publisher.verdict(verdicts.judge(neighbours.get(), pathKeys));
    }
}
