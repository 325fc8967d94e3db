package kubenurse.checks.internal.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.checks.CheckResult;
import kubenurse.checks.Verdict.State;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import kubenurse.discovery.NodeReports;
import org.junit.jupiter.api.Test;

/**
 * What is told, and when: Events and the node condition go through a recording {@link NodeReports} (the API writes
 * themselves are tested with the stub API server in kubenurse.discovery).
 */
class VerdictsTest {

    private static final long SECOND = 1_000_000_000L;

    /** Records what would be written. */
    static final class RecordedReports implements NodeReports {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> conditions = new CopyOnWriteArrayList<>();

        @Override
        public void nodeEvent(String node, EventType type, String reason, String message) {
            events.add(node + " " + type + " " + reason + ": " + message);
        }

        @Override
        public void ownNodeCondition(boolean problem, String reason, String message) {
            conditions.add(problem + " " + reason + ": " + message);
        }

        @Override
        public long failures(Kind kind) {
            return kind == Kind.EVENT ? 7 : 0;
        }

        @Override
        public void close() {
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final AtomicReference<Set<String>> heard = new AtomicReference<>(Set.of());
    private final RecordedReports reports = new RecordedReports();
    private final Config config = Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
            "KUBENURSE_NODE_NAME", "node-a", "KUBENURSE_CHECK_INTERVAL", "1s", "KUBENURSE_NEIGHBOUR_LIMIT", "3"), "pod-a");
    private final Verdicts verdicts = new Verdicts(config, window -> heard.get(), reports, now::get);
    private final List<Neighbour> others = List.of("b", "c", "d", "e").stream()
            .map(n -> new Neighbour("pod-" + n, "10.0.0.1", "192.168.0.1", "node-" + n, "Running")).toList();
    private final Neighbours ring = new Neighbours(others.subList(0, 3), others, true);
    private static final Set<String> PATHS = Set.of("path_node-b", "path_node-c", "path_node-d");

    @Test
    void aPathFailingTwiceInARowIsOneEventAboutItsNode() {
        CheckResult refused = new CheckResult("path_node-b", "connection refused");
        verdicts.observe("path_node-b", refused);
        assertEquals(List.of(), reports.events, "one failed run is not a failing path");
        verdicts.observe("path_node-b", refused);
        verdicts.observe("path_node-b", refused);
        assertEquals(List.of("node-b WARNING KubenursePathFailing: from node-a: connection refused"), reports.events);
        verdicts.observe("path_node-b", CheckResult.ok("path_node-b"));
        verdicts.observe("path_node-b", refused);
        verdicts.observe("path_node-b", refused);
        assertEquals(2, reports.events.size(), "failing again after an ok run is a new Event");
        verdicts.observe("api_server_direct", new CheckResult("api_server_direct", "timeout"));
        verdicts.observe("api_server_direct", new CheckResult("api_server_direct", "timeout"));
        assertEquals(2, reports.events.size(), "only neighbour paths make path Events");
    }

    @Test
    void verdictChangesAreEventsAboutOurNodeAndTheCondition() {
        heard.set(Set.of("pod-b", "pod-c", "pod-d", "pod-e"));
        verdicts.judge(ring, PATHS);
        assertEquals(List.of("false None: kubenurse finds no network problem"), reports.conditions,
                "the condition is set once at the first judgement");
        now.set(3 * SECOND);
        verdicts.judge(ring, PATHS);
        for (String path : List.of("path_node-b", "path_node-c")) {
            verdicts.observe(path, new CheckResult(path, "i/o timeout"));
            verdicts.observe(path, new CheckResult(path, "i/o timeout"));
        }
        now.set(4 * SECOND);
        assertEquals(State.PROBLEM, verdicts.judge(ring, PATHS).outbound());
        assertTrue(reports.events.contains("node-a WARNING KubenurseOutboundProblem: failing paths node-b,node-c"),
                reports.events.toString());
        assertEquals("true Outbound: cannot reach node-b,node-c", reports.conditions.get(1));
        now.set(5 * SECOND);
        verdicts.judge(ring, PATHS);
        assertEquals(2, reports.conditions.size(), "an unchanged verdict writes nothing");
        verdicts.observe("path_node-b", CheckResult.ok("path_node-b"));
        verdicts.observe("path_node-c", CheckResult.ok("path_node-c"));
        now.set(6 * SECOND);
        assertEquals(State.OK, verdicts.judge(ring, PATHS).outbound());
        assertTrue(reports.events.contains("node-a NORMAL KubenurseOutboundResolved: no failing paths"), reports.events.toString());
        assertEquals("false None: kubenurse finds no network problem", reports.conditions.get(2));
    }

    @Test
    void nothingIsJudgedOnceThePodIsLeaving() {
        heard.set(Set.of("pod-b", "pod-c", "pod-d", "pod-e"));
        verdicts.judge(ring, PATHS);
        now.set(3 * SECOND);
        assertEquals(State.OK, verdicts.judge(ring, PATHS).inbound());
        verdicts.leaving();
        heard.set(Set.of()); // the neighbours stopped checking a pod no longer Ready
        for (int second = 4; second < 8; second++) {
            now.set(second * SECOND);
            assertEquals(State.OK, verdicts.judge(ring, PATHS).inbound());
        }
        assertEquals(List.of(), reports.events);
    }

    @Test
    void theGaugesShowTheLatestVerdict() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Verdicts registered = Verdicts.register(config, window -> Set.of(), reports, registry);
        registered.judge(ring, PATHS);
        String text = text(registry);
        assertTrue(text.contains("kubenurse_network_problem{direction=\"inbound\"} 0"), text);
        assertTrue(text.contains("kubenurse_neighbour_checkers{state=\"expected\"} 0"), text);
        assertTrue(text.contains("kubenurse_node_report_failures_total{kind=\"event\"} 7"), text);
    }

    @Test
    void localModeJudgesNothingAndRegistersNothing() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Verdicts local = Verdicts.register(Config.fromEnvironment(Map.of(), "pod-a"), window -> Set.of(), reports, registry);
        assertEquals(State.SKIPPED, local.judge(ring, PATHS).inbound());
        local.observe("path_node-b", new CheckResult("path_node-b", "refused"));
        local.observe("path_node-b", new CheckResult("path_node-b", "refused"));
        assertEquals(List.of(), reports.events);
        assertEquals("", text(registry));
    }

    private static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
