package kubenurse.discovery.internal;

import static kubenurse.discovery.internal.StubClusterAccess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubenurse.discovery.NodeReports.EventType;
import kubenurse.discovery.NodeReports.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our own Node's KubenurseNetworkProblem condition, through the node reports against the stub API server: only
 * when enabled, merged with the kubelet's conditions, written on change only, its transition time kept with its
 * status, and written again at the next call after a failure.
 */
class NodeConditionWriterTest {

    @RegisterExtension
    final StubClusterAccess cluster = new StubClusterAccess();

    private static final String STATUS = "/api/v1/nodes/node-a/status";
    private static final Map<String, String> ENABLED = Map.of("KUBENURSE_NODE_CONDITION", "true");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));

    private ApiNodeReports reports(Map<String, String> env) {
        return cluster.report(env, new ReportSettings(Duration.ofSeconds(5), 16, Duration.ofMinutes(10), clock));
    }

    private Optional<JsonObject> ours() {
        return cluster.api().nodeConditions("node-a").stream()
                .filter(c -> c.getString("type", "").equals(NodeConditionWriter.TYPE)).findFirst();
    }

    /** Waits until our condition carries {@code message}; returns it. */
    private JsonObject oursWhen(String message) {
        waitFor("the condition saying " + message, () -> ours().map(c -> c.getString("message", "")).orElse("").equals(message));
        return ours().orElseThrow();
    }

    /** Sets the condition to a problem and waits until the node carries it. */
    private JsonObject problemWritten(ApiNodeReports reports) {
        reports.ownNodeCondition(true, "InboundChecksSilent", "3 of 4 checkers silent");
        return oursWhen("3 of 4 checkers silent");
    }

    /** Writes an Event and waits for it: every write queued before it has been made by then. */
    private void writesBeforeDone(ApiNodeReports reports) {
        int before = cluster.api().events().size();
        reports.nodeEvent("node-b", EventType.NORMAL, "Marker", "after the condition " + before);
        waitFor("the Event written after the condition", () -> cluster.api().events().size() == before + 1);
    }

    @Test
    void nothingIsWrittenToTheNodeUnlessEnabled() {
        ApiNodeReports reports = reports(Map.of());
        reports.ownNodeCondition(true, "InboundChecksSilent", "3 of 4 checkers silent");
        writesBeforeDone(reports);
        assertEquals(0, cluster.requests("PATCH", STATUS));
        assertEquals(Optional.empty(), ours());
        assertEquals(0, reports.failures(Kind.NODE_CONDITION), "off is no failure");
    }

    @Test
    void theConditionIsMergedWithTheKubeletsConditions() {
        ApiNodeReports reports = reports(ENABLED);
        JsonObject condition = problemWritten(reports);
        assertEquals(List.of("True", "InboundChecksSilent", "2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z"),
                List.of(condition.getString("status", ""), condition.getString("reason", ""),
                        condition.getString("lastHeartbeatTime", ""), condition.getString("lastTransitionTime", "")));
        List<JsonObject> all = cluster.api().nodeConditions("node-a");
        assertEquals(List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready", NodeConditionWriter.TYPE),
                all.stream().map(c -> c.getString("type", "")).toList());
        assertEquals("KubeletReady", all.get(3).getString("reason", ""), "the kubelet's conditions stay as they were");
        assertEquals(0, reports.failures(Kind.NODE_CONDITION));
    }

    @Test
    void theTransitionTimeChangesOnlyWithTheStatus() {
        ApiNodeReports reports = reports(ENABLED);
        problemWritten(reports);
        clock.advance(Duration.ofMinutes(1));
        reports.ownNodeCondition(true, "OutboundPathsFailing", "2 of 3 paths fail");
        JsonObject sameStatus = oursWhen("2 of 3 paths fail");
        assertEquals(List.of("2026-12-07T10:01:00Z", "2026-12-07T10:00:00Z"), List.of(sameStatus.getString("lastHeartbeatTime", ""),
                sameStatus.getString("lastTransitionTime", "")));
        clock.advance(Duration.ofMinutes(1));
        reports.ownNodeCondition(false, "Resolved", "checked by 4 of 4");
        JsonObject resolved = oursWhen("checked by 4 of 4");
        assertEquals(List.of("False", "2026-12-07T10:02:00Z"), List.of(resolved.getString("status", ""),
                resolved.getString("lastTransitionTime", "")));
    }

    @Test
    void onlyAChangeIsWritten() {
        ApiNodeReports reports = reports(ENABLED);
        problemWritten(reports);
        clock.advance(Duration.ofMinutes(1));
        reports.ownNodeCondition(true, "InboundChecksSilent", "3 of 4 checkers silent");
        writesBeforeDone(reports);
        assertEquals(1, cluster.requests("PATCH", STATUS));
    }

    @Test
    void aFailedWriteIsMadeAgainAtTheNextCallAndNotBefore() {
        cluster.api().failNext(STATUS, 500, 1);
        ApiNodeReports reports = reports(ENABLED);
        reports.ownNodeCondition(true, "InboundChecksSilent", "3 of 4 checkers silent");
        waitFor("the failure counted", () -> reports.failures(Kind.NODE_CONDITION) == 1);
        writesBeforeDone(reports);
        assertEquals(1, cluster.requests("PATCH", STATUS), "not retried on its own");
        assertEquals(Optional.empty(), ours());
        problemWritten(reports);
        assertEquals(2, cluster.requests("PATCH", STATUS));
    }

    @Test
    void aWriteThatTimedOutMayHaveLandedSoTheNextCallWritesEvenTheStateWrittenBefore() {
        ApiNodeReports reports = cluster.report(ENABLED, new ReportSettings(Duration.ofSeconds(1), 16, Duration.ofMinutes(10), clock));
        problemWritten(reports);
        cluster.api().hangRequests(STATUS);
        reports.ownNodeCondition(false, "Resolved", "checked by 4 of 4");
        waitFor("the write timed out", () -> reports.failures(Kind.NODE_CONDITION) == 1);
        cluster.api().releaseHungRequests(); // the API server applies it after all, as one may after a timeout
        oursWhen("checked by 4 of 4");
        problemWritten(reports);
    }

    /** Our condition as a pod before a restart left it: {@code status} since 08:00. */
    private void writtenBeforeTheRestart(String status) {
        cluster.api().putNodeCondition("node-a", new JsonObject().add("type", NodeConditionWriter.TYPE).add("status", status)
                .add("reason", "Before").add("message", "before the restart")
                .add("lastHeartbeatTime", "2026-12-07T09:00:00Z").add("lastTransitionTime", "2026-12-07T08:00:00Z"));
    }

    @Test
    void afterARestartAnUnchangedStatusKeepsTheTransitionTimeTheNodeCarries() {
        writtenBeforeTheRestart("True");
        ApiNodeReports reports = reports(ENABLED);
        reports.ownNodeCondition(true, "InboundChecksSilent", "after the restart");
        assertEquals("2026-12-07T08:00:00Z", oursWhen("after the restart").getString("lastTransitionTime", ""));
        assertEquals(5, cluster.api().nodeConditions("node-a").size(), "still one condition of ours");
    }

    @Test
    void afterARestartAChangedStatusTransitionsNow() {
        writtenBeforeTheRestart("False");
        ApiNodeReports reports = reports(ENABLED);
        reports.ownNodeCondition(true, "InboundChecksSilent", "after the restart");
        assertEquals("2026-12-07T10:00:00Z", oursWhen("after the restart").getString("lastTransitionTime", ""));
    }
}
