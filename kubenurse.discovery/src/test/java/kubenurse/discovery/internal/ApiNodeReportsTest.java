package kubenurse.discovery.internal;

import static kubenurse.discovery.internal.StubClusterAccess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import kubenurse.discovery.NodeReports.EventType;
import kubenurse.discovery.NodeReports.Kind;
import kubenurse.testing.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Events kubenurse writes about nodes, against the stub API server over real TLS: their fields, a repeat as
 * a count update, the cap a minute, a refusing and a hung API server, and close.
 */
class ApiNodeReportsTest {

    @RegisterExtension
    final StubClusterAccess cluster = new StubClusterAccess();

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private static final String EVENTS = EventWriter.EVENTS_PATH;

    private final ManualClock clock = new ManualClock(START);

    private ApiNodeReports reports(Map<String, String> env) {
        return cluster.report(env, new ReportSettings(Duration.ofSeconds(2), 4, Duration.ofMinutes(10), clock));
    }

    private List<JsonObject> eventsWhen(String what, int count) {
        waitFor(what, () -> cluster.api().events().size() == count);
        return cluster.api().events();
    }

    private static JsonObject object(JsonObject parent, String name) {
        return parent.get(name).asObject();
    }

    @Test
    void anEventNamesTheNodeByNameAndUidAndSaysWhoWroteItAndWhen() {
        ApiNodeReports reports = reports(Map.of());
        reports.nodeEvent("node-b", EventType.WARNING, "KubenursePathFailing", "from node-a: connection refused");
        JsonObject event = eventsWhen("the Event written", 1).getFirst();
        assertEquals("default", object(event, "metadata").getString("namespace", ""), "a Node's Events live in default");
        assertTrue(object(event, "metadata").getString("name", "").matches("node-b\\.[0-9a-f]+"), event.toString());
        assertEquals(new JsonObject().add("apiVersion", "v1").add("kind", "Node").add("name", "node-b")
                .add("uid", cluster.api().nodeUid("node-b")), object(event, "involvedObject"));
        assertEquals(List.of("Warning", "KubenursePathFailing", "from node-a: connection refused", "kubenurse", "pod-a"),
                List.of(event.getString("type", ""), event.getString("reason", ""), event.getString("message", ""),
                        event.getString("reportingComponent", ""), event.getString("reportingInstance", "")));
        assertEquals(new JsonObject().add("component", "kubenurse").add("host", "node-a"), object(event, "source"));
        assertEquals(List.of("2026-12-07T10:00:00Z", "2026-12-07T10:00:00Z", 1), List.of(event.getString("firstTimestamp", ""),
                event.getString("lastTimestamp", ""), event.getInt("count", 0)));

        reports.nodeEvent("node-a", EventType.NORMAL, "KubenurseInboundResolved", "checked again by 3 of 3");
        JsonObject resolved = eventsWhen("the second Event written", 2).stream()
                .filter(e -> e.getString("reason", "").equals("KubenurseInboundResolved")).findFirst().orElseThrow();
        assertEquals("Normal", resolved.getString("type", ""));
        assertEquals(0, reports.failures(Kind.EVENT));
    }

    @Test
    void aRepeatWithinTheSeriesWindowCountsOnTheSameEventAndALaterOneStartsAnother() {
        ApiNodeReports reports = reports(Map.of());
        reports.nodeEvent("node-b", EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
        eventsWhen("the first Event", 1);
        clock.advance(Duration.ofMinutes(3));
        reports.nodeEvent("node-b", EventType.WARNING, "KubenursePathFailing", "from node-a: connection refused");
        waitFor("the count updated", () -> cluster.api().events().getFirst().getInt("count", 0) == 2);
        JsonObject repeated = cluster.api().events().getFirst();
        assertEquals(1, cluster.api().events().size(), "a count update, not a new Event");
        assertEquals(List.of("2026-12-07T10:00:00Z", "2026-12-07T10:03:00Z", "from node-a: connection refused"),
                List.of(repeated.getString("firstTimestamp", ""), repeated.getString("lastTimestamp", ""),
                        repeated.getString("message", "")));

        clock.advance(Duration.ofMinutes(10));
        reports.nodeEvent("node-b", EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
        List<JsonObject> events = eventsWhen("a new Event after the window", 2);
        assertEquals(List.of(2, 1), events.stream().map(e -> e.getInt("count", 0)).toList());
    }

    @Test
    void beyondTheCapAMinuteEventsAreDroppedCountedAndLoggedOnce() {
        try (LogLines log = LogLines.listen("kubenurse.discovery", "event=node_report_failed")) {
            ApiNodeReports reports = reports(Map.of("KUBENURSE_EVENTS_PER_MINUTE", "3", "KUBENURSE_NODE_CONDITION", "true"));
            for (String node : List.of("node-a", "node-b", "node-c", "node-d", "node-e")) {
                reports.nodeEvent(node, EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
            }
            assertEquals(2, reports.failures(Kind.EVENT), "counted as the calls drop them");
            // the writes run in order: once the condition written after them is there, no Event is still to come
            reports.ownNodeCondition(true, "Marker", "after the Events");
            waitFor("the condition written after the Events", () -> cluster.api().nodeConditions("node-a").size() == 5);
            assertEquals(List.of("node-a", "node-b", "node-c"), cluster.api().events().stream()
                    .map(e -> object(e, "involvedObject").getString("name", "")).toList());
            assertEquals(1, log.lines().size(), log.lines().toString());
            assertTrue(log.lines().getFirst().startsWith("WARNING event=node_report_failed kind=event node=\"node-d\""
                    + " reason=KubenursePathFailing dropped=rate_limit events_per_minute=3 failures=1"), log.lines().toString());
        }
    }

    @Test
    void noEventIsWrittenWhenTheCapIsZero() {
        ApiNodeReports reports = reports(Map.of("KUBENURSE_EVENTS_PER_MINUTE", "0", "KUBENURSE_NODE_CONDITION", "true"));
        reports.nodeEvent("node-b", EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
        reports.ownNodeCondition(true, "Marker", "after the Event");
        waitFor("the condition written after the Event", () -> cluster.api().nodeConditions("node-a").size() == 5);
        assertEquals(List.of(), cluster.api().events());
        assertEquals(0, reports.failures(Kind.EVENT), "none asked for, none missing");
    }

    @Test
    void aRefusedEventIsCountedLoggedOnceAMinuteAndNeverRetried() {
        try (LogLines log = LogLines.listen("kubenurse.discovery", "event=node_report_failed")) {
            cluster.api().failNext(EVENTS, 403, 3);
            ApiNodeReports reports = reports(Map.of());
            for (String node : List.of("node-a", "node-b", "node-c")) {
                reports.nodeEvent(node, EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
            }
            waitFor("three refusals counted", () -> reports.failures(Kind.EVENT) == 3);
            reports.nodeEvent("node-c", EventType.WARNING, "KubenurseOutboundProblem", "2 of 3 paths fail");
            eventsWhen("the Event after the refusals", 1);
            assertEquals(4, cluster.requests("POST", EVENTS), "one request per Event: the refused ones were not sent again");
            assertEquals(1, log.lines().size(), log.lines().toString());
            String line = log.lines().getFirst();
            assertTrue(line.startsWith("WARNING event=node_report_failed kind=event node=\"node-a\" reason=KubenursePathFailing"
                    + " status=403 error=\"create event node-a."), line);
            assertFalse(line.contains("token-1"), "the token never reaches the log");
        }
    }

    @Test
    void aHungApiServerNeverHoldsTheCallerAndCostsOnlyTheQueue() {
        cluster.api().hangRequests(EVENTS);
        ApiNodeReports reports = reports(Map.of("KUBENURSE_NODE_CONDITION", "true"));
        reports.nodeEvent("node-a", EventType.WARNING, "KubenursePathFailing", "first");
        waitFor("the first write hanging at the API server", () -> cluster.requests("POST", EVENTS) == 1);
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            reports.nodeEvent("node-b", EventType.WARNING, "Reason" + i, "behind the hung one");
        }
        reports.ownNodeCondition(true, "Dropped", "the queue is full");
        Duration calls = Duration.ofNanos(System.nanoTime() - started);
        // a caller that waited for the API server would have waited out the request timeout at least once
        assertTrue(calls.compareTo(Duration.ofSeconds(2)) < 0, "11 calls took " + calls);
        assertEquals(6, reports.failures(Kind.EVENT), "4 wait in the queue, 6 dropped");
        assertEquals(1, reports.failures(Kind.NODE_CONDITION), "dropped too");

        waitFor("the hung write timed out", () -> reports.failures(Kind.EVENT) == 7);
        cluster.api().releaseHungRequests(); // the API server then also answers the first write, though too late
        waitFor("the 4 queued Events written", () -> cluster.api().events().stream()
                .filter(e -> object(e, "involvedObject").getString("name", "").equals("node-b")).count() == 4);
        reports.ownNodeCondition(true, "Written", "again at the next call after the drop");
        waitFor("the condition written", () -> cluster.api().nodeConditions("node-a").size() == 5);
    }

    @Test
    void closeStopsTheWriterAndDropsWhatWaits() {
        cluster.api().hangRequests(EVENTS);
        ApiNodeReports reports = cluster.report(Map.of(),
                new ReportSettings(Duration.ofSeconds(30), 4, Duration.ofMinutes(10), clock));
        for (String node : List.of("node-a", "node-b", "node-c")) {
            reports.nodeEvent(node, EventType.WARNING, "KubenursePathFailing", "from node-a: timeout");
        }
        waitFor("the first write hanging at the API server", () -> cluster.requests("POST", EVENTS) == 1);
        reports.close();
        waitFor("the writer thread ended, long before the request's 30 s", reports::stopped);
        cluster.api().releaseHungRequests();
        reports.nodeEvent("node-c", EventType.WARNING, "KubenursePathFailing", "after close");
        assertEquals(1, cluster.requests("POST", EVENTS), "the two waiting writes were dropped, not sent");
        assertEquals(0, reports.failures(Kind.EVENT), "closing drops; it does not fail");
    }

    @Test
    void aCallersMistakeFailsAtOnceNamingTheValue() {
        ApiNodeReports reports = reports(Map.of());
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> reports.nodeEvent("Node_B", EventType.WARNING, "KubenursePathFailing", "m"));
        assertTrue(node.getMessage().contains("\"Node_B\""), node.getMessage());
        IllegalArgumentException reason = assertThrows(IllegalArgumentException.class,
                () -> reports.ownNodeCondition(true, "not a reason", "m"));
        assertTrue(reason.getMessage().contains("\"not a reason\""), reason.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reports.nodeEvent("node-b", null, "Reason", "m"));
        assertThrows(IllegalArgumentException.class, () -> ApiNodeReports.NONE.nodeEvent("node-b", EventType.NORMAL, "R", null));
    }
}
