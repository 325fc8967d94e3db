package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.StubCluster;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdicts of the linked image, told to a stub API server: pod-a checks three neighbours, two of which are at
 * addresses nothing answers (outbound problem), and none of which checks pod-a back (all three expected checkers
 * silent: inbound problem). Events, the node condition, /alive and the gauge say so; once the two are answered
 * again, the outbound problem is resolved.
 */
class VerdictEventsIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    /** TEST-NET-2: nothing answers there (each run fails after the 5 s connect timeout). */
    private static final String NOWHERE_C = "198.51.100.13";
    private static final String NOWHERE_D = "198.51.100.14";

    @TempDir
    Path dir;

    @Test
    void problemsAreEventsAConditionAVerdictAndAGaugeAndResolvedWhenGone() throws Exception {
        try (TestCluster cluster = StubCluster.onLoopback(1).withPod("pod-c", "node-c", NOWHERE_C, TestCluster.KUBENURSE_LABELS, true)
                .withPod("pod-d", "node-d", NOWHERE_D, TestCluster.KUBENURSE_LABELS, true)
                .withNodes("node-c", "node-d").start(dir)) {
            StubApiServer api = cluster.api();
            Map<String, String> env = StubCluster.podA(cluster);
            env.put("KUBENURSE_NODE_CONDITION", "true");
            try (RunningImage image = RunningImage.start(env, List.of())) {
                image.awaitAlive(Duration.ofSeconds(20));
                JsonObject verdict = Eventually.within(WAIT, "an outbound and an inbound problem", () -> verdict(image),
                        v -> "problem".equals(v.getString("outbound", "")) && "problem".equals(v.getString("inbound", "")));
                assertEquals("[\"node-c\",\"node-d\"]", verdict.get("failing_paths").toString(), verdict.toString());
                assertEquals("[\"node-b\",\"node-c\",\"node-d\"]", verdict.get("silent_checkers").toString(), verdict.toString());
                assertEquals(3, verdict.getInt("expected_checkers", -1));
                assertEquals(0, verdict.getInt("heard_checkers", -1));
                String metrics = image.get("/metrics").body();
                assertTrue(metrics.contains("kubenurse_network_problem{direction=\"outbound\"} 1"), metrics);
                assertTrue(metrics.contains("kubenurse_neighbour_checkers{state=\"expected\"} 3"), metrics);

                Eventually.within(WAIT, "the Events", () -> reasons(api), reasons -> reasons.containsAll(Set.of(
                        "node-c KubenursePathFailing", "node-d KubenursePathFailing", "node-a KubenurseOutboundProblem",
                        "node-a KubenurseInboundProblem")));
                assertTrue(eventMessages(api).contains("from node-a: "), eventMessages(api));
                JsonObject condition = Eventually.within(WAIT, "the node condition", () -> condition(api),
                        c -> "True".equals(c.getString("status", "")) && "Both".equals(c.getString("reason", "")));
                assertTrue(condition.getString("message", "").contains("cannot reach node-c,node-d"), condition.toString());

                api.putPod("kube-system", "pod-c", "node-c", "127.0.0.3", "Running", TestCluster.KUBENURSE_LABELS, false);
                api.putPod("kube-system", "pod-d", "node-d", "127.0.0.4", "Running", TestCluster.KUBENURSE_LABELS, false);
                Eventually.within(WAIT, "outbound resolved", () -> verdict(image), v -> "ok".equals(v.getString("outbound", "")));
                Eventually.within(WAIT, "its Event", () -> reasons(api), reasons -> reasons.contains("node-a KubenurseOutboundResolved"));
                Eventually.within(WAIT, "the condition follows", () -> condition(api), c -> "Inbound".equals(c.getString("reason", "")));
                assertTrue(!image.output().contains(TestCluster.DEFAULT_TOKEN + "\""), "no token in the log");
            }
        }
    }

    private static JsonObject verdict(RunningImage image) {
        try {
            return Json.parse(image.get("/alive").body()).asObject().get("verdict").asObject();
        } catch (Exception notYet) {
            return new JsonObject();
        }
    }

    private static Set<String> reasons(StubApiServer api) {
        return api.events().stream().map(e -> e.get("involvedObject").asObject().getString("name", "") + " "
                + e.getString("reason", "")).collect(Collectors.toSet());
    }

    private static String eventMessages(StubApiServer api) {
        return api.events().stream().map(e -> e.getString("message", "")).collect(Collectors.joining("\n"));
    }

    private static JsonObject condition(StubApiServer api) {
        return api.nodeConditions("node-a").stream().filter(c -> "KubenurseNetworkProblem".equals(c.getString("type", "")))
                .findFirst().orElse(new JsonObject());
    }
}
