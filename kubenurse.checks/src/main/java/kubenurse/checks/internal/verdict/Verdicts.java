package kubenurse.checks.internal.verdict;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import kubenurse.checks.CheckResult;
import kubenurse.checks.HeardCheckers;
import kubenurse.checks.Verdict;
import kubenurse.checks.Verdict.State;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbours;
import kubenurse.discovery.NodeReports;

/**
 * Keeps what the verdicts need between cycles (each path's failed runs in a row), judges once per scheduled cycle,
 * and tells of each verdict: the gauges, and, on a change, Kubernetes (an Event about our node, our node's
 * condition); a path that starts failing is an Event about the neighbour's node. In local mode every verdict is
 * skipped and nothing is registered.
 */
public final class Verdicts {

    /** Runs in a row a path must fail to count as failing: one lost check is no outbound problem. */
    static final int FAILED_RUNS = 2;

    private final boolean enabled;
    private final String ownNode;
    private final HeardCheckers heard;
    private final NodeReports reports;
    private final VerdictJudge judge;
    private final LongSupplier nanoClock;
    /** Path check key to its failed runs in a row and the type (path_NODE) it belongs to. */
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();
    private volatile Verdict latest = Verdict.skipped();
    private volatile boolean leaving;

    private record Streak(String type, int failed) {
    }

    Verdicts(Config config, HeardCheckers heard, NodeReports reports, LongSupplier nanoClock) {
        this(!config.localMode(), config, heard, reports, nanoClock);
    }

    private Verdicts(boolean enabled, Config config, HeardCheckers heard, NodeReports reports, LongSupplier nanoClock) {
        this.enabled = enabled;
        this.ownNode = config.identity().nodeName().orElse("");
        this.heard = heard;
        this.reports = reports;
        this.nanoClock = nanoClock;
        this.judge = new VerdictJudge(config.verdicts(), ownNode, config.neighbours().limit(),
                config.neighbours().allowUnschedulable(), config.checks().interval(), nanoClock.getAsLong());
    }

    /** Verdicts on the system clock, their metrics registered in {@code registry} (in a cluster only). */
    public static Verdicts register(Config config, HeardCheckers heard, NodeReports reports, PrometheusRegistry registry) {
        Verdicts verdicts = new Verdicts(config, heard, reports, System::nanoTime);
        if (verdicts.enabled) {
            verdicts.registerMetrics(registry);
        }
        return verdicts;
    }

    /** Verdicts that are always skipped: local mode, and checkers that judge nothing (tests of the schedule). */
    public static Verdicts off(Config config) {
        return new Verdicts(false, config, window -> Set.of(), NodeReports.none(), System::nanoTime);
    }

    /** A check's result: counts a path's failed runs in a row; the run that makes it failing is an Event. */
    public void observe(String key, CheckResult result) {
        if (!enabled || !result.type().startsWith("path_") || result.isSkipped()) {
            return;
        }
        Streak now = streaks.merge(key, new Streak(result.type(), result.isOk() ? 0 : 1),
                (before, run) -> new Streak(run.type(), run.failed() == 0 ? 0 : before.failed() + 1));
        if (now.failed() == FAILED_RUNS) {
            reports.nodeEvent(result.type().substring("path_".length()), NodeReports.EventType.WARNING,
                    "KubenursePathFailing", "from " + ownNode + ": " + result.outcome());
        }
    }

    /** Our pod is shutting down: nothing is judged (nor told) any more; the last verdict stays shown. */
    public void leaving() {
        leaving = true;
    }

    /** Forgets the paths that left the plan. */
    public void forget(Set<String> departedKeys) {
        streaks.keySet().removeAll(departedKeys);
    }

    /**
     * Judges, at a scheduled cycle's start, from discovery's snapshot and the path checks planned (their keys);
     * tells of a change.
     */
    public Verdict judge(Neighbours snapshot, Set<String> plannedPathKeys) {
        if (!enabled || leaving) {
            return latest;
        }
        List<String> failing = streaks.entrySet().stream()
                .filter(e -> plannedPathKeys.contains(e.getKey()) && e.getValue().failed() >= FAILED_RUNS)
                .map(e -> e.getValue().type().substring("path_".length())).distinct().toList();
        Verdict before = latest;
        Verdict now = judge.judge(nanoClock.getAsLong(), snapshot, heard.heardWithin(judge.window()),
                plannedPathKeys.size(), failing);
        latest = now;
        tellChanges(before, now);
        return now;
    }

    private void tellChanges(Verdict before, Verdict now) {
        boolean inbound = now.inbound() == State.PROBLEM;
        boolean outbound = now.outbound() == State.PROBLEM;
        boolean wasInbound = before.inbound() == State.PROBLEM;
        boolean wasOutbound = before.outbound() == State.PROBLEM;
        if (inbound != wasInbound) {
            String message = inbound ? "silent checkers " + String.join(",", now.silentCheckers()) + " ("
                    + now.silentCheckers().size() + " of " + now.expectedCheckers() + " expected)"
                    : "heard " + now.heardCheckers() + " of " + now.expectedCheckers() + " expected checkers";
            reports.nodeEvent(ownNode, inbound ? NodeReports.EventType.WARNING : NodeReports.EventType.NORMAL,
                    inbound ? "KubenurseInboundProblem" : "KubenurseInboundResolved", message);
        }
        if (outbound != wasOutbound) {
            String message = outbound ? "failing paths " + String.join(",", now.failingPaths()) : "no failing paths";
            reports.nodeEvent(ownNode, outbound ? NodeReports.EventType.WARNING : NodeReports.EventType.NORMAL,
                    outbound ? "KubenurseOutboundProblem" : "KubenurseOutboundResolved", message);
        }
        if (before.inbound() == State.SKIPPED || inbound != wasInbound || outbound != wasOutbound) {
            String reason = inbound && outbound ? "Both" : inbound ? "Inbound" : outbound ? "Outbound" : "None";
            String message = !inbound && !outbound ? "kubenurse finds no network problem"
                    : (inbound ? "not reached by checkers " + String.join(",", now.silentCheckers()) : "")
                    + (inbound && outbound ? "; " : "")
                    + (outbound ? "cannot reach " + String.join(",", now.failingPaths()) : "");
            reports.ownNodeCondition(inbound || outbound, reason, message);
        }
    }

    private void registerMetrics(PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("kubenurse_network_problem")
                .help("1 while this pod's node has a network problem in the direction: inbound (others cannot reach it)"
                        + " or outbound (it cannot reach others), as a quorum of its peers shows; else 0")
                .labelNames("direction")
                .callback(callback -> {
                    Verdict now = latest;
                    callback.call(now.inbound() == State.PROBLEM ? 1 : 0, "inbound");
                    callback.call(now.outbound() == State.PROBLEM ? 1 : 0, "outbound");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("kubenurse_neighbour_checkers")
                .help("Pods the hash ring says check this one (expected), and how many of them did within the window (heard)")
                .labelNames("state")
                .callback(callback -> {
                    Verdict now = latest;
                    callback.call(now.expectedCheckers(), "expected");
                    callback.call(now.heardCheckers(), "heard");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("kubenurse_node_report_failures_total")
                .help("Events and node condition writes that the API server refused, that timed out, or that were dropped"
                        + " over the cap, by kind")
                .labelNames("kind")
                .callback(callback -> {
                    for (NodeReports.Kind kind : NodeReports.Kind.values()) {
                        callback.call(reports.failures(kind), kind.label());
                    }
                })
                .register(registry);
    }
}
