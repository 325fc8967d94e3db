package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.StubCluster;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked image in "cluster mode" against a stub API server over HTTPS: it discovers its neighbours,
 * checks them, follows changes (including a relist after 410 and a token rotation), and turns not ready
 * when its node is cordoned. Every neighbour's pod IP is on loopback, where the image itself answers, so
 * each path check really crosses a socket. Hostile lines in the watch streams neither stop nor freeze it.
 */
class DiscoveryIT {


    @TempDir
    Path dir;

    /** Three nodes with a kubenurse pod on each, pod IPs on loopback; the tests rotate the token in it. */
    private TestCluster cluster;

    private StubApiServer threeNodeCluster() throws Exception {
        cluster = StubCluster.onLoopback(2).token("token-1").start(dir);
        return cluster.api();
    }

    @Test
    void discoversChecksFollowsAndReportsItsNode() throws Exception {
        try (StubApiServer api = threeNodeCluster()) {
            api.requireToken("token-1");
            try (RunningImage image = RunningImage.start(StubCluster.podA(cluster), List.of())) {
                image.awaitAlive(Duration.ofSeconds(20));
                JsonObject alive = eventually(image, "both neighbours checked and everything ok", json ->
                        json.get("neighbourhood").asArray().size() == 2
                                && "ok".equals(json.getString("neighbourhood_state", ""))
                                && "ok".equals(json.getString("api_server_direct", ""))
                                && "ok".equals(json.getString("api_server_dns", "")));
                JsonObject last = alive.get("last_check_result").asObject();
                assertEquals("ok", last.getString("path_node-b", null), alive.toString());
                assertEquals("ok", last.getString("path_node-c", null), alive.toString());
                assertEquals(200, image.get("/ready").statusCode());
                assertTrue(api.requests().stream().allMatch(r -> "Bearer token-1".equals(r.authorization())));

                api.compact();
                api.putPod("kube-system", "pod-d", "node-c", "127.0.0.4", "Running", TestCluster.KUBENURSE_LABELS, false);
                eventually(image, "surge pod found after a relist", json -> json.get("neighbourhood").asArray().size() == 3);

                api.requireToken("token-2");
                cluster.rotateToken("token-2");
                api.deletePod("kube-system", "pod-d");
                eventually(image, "deletion seen with the rotated token", json -> json.get("neighbourhood").asArray().size() == 2);

                api.putNode("node-a", true, false);
                awaitReady(image, 503);
                api.putNode("node-a", false, false);
                awaitReady(image, 200);

                api.deletePod("kube-system", "pod-c");
                // the neighbourhood lists are discovery's latest; the path_ results follow at the next cycle
                JsonObject without = eventually(image, "pod-c gone", json -> json.get("neighbourhood").asArray().size() == 1
                        && json.get("last_check_result").asObject().get("path_node-c") == null);
                assertEquals(List.of("pod-b"), without.get("neighbourhood").asArray().values().stream()
                        .map(n -> n.asObject().getString("PodName", null)).toList(), without.toString());
                // the path checks' series go at their next cycle, the UDP probe's at its own
                String metrics = waitFor("series of the gone neighbour removed", () -> {
                    String body = image.get("/metrics").body();
                    return body.contains("path_node-c") ? null : body;
                });
                assertTrue(metrics.contains("type=\"path_node-b\""), metrics);
                assertTrue(metrics.contains("kubenurse_udp_probes_sent_total{type=\"path_node-b\"}"), metrics);
                assertTrue(metrics.contains("kubenurse_neighbourhood_incoming_checks 1.0"),
                        "our own path checks reached us with origin pod-a: " + metrics);
                assertTrue(!image.output().contains("token-1") && !image.output().contains("token-2"), "token in the log");
            }
        }
    }

    /** Once, each of these ended a watcher's thread for good; the image must keep following pods and nodes. */
    private static final List<String> HOSTILE_LINES = List.of(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410.0,\"message\":\"too old resource version\"}}",
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":42,\"namespace\":\"kube-system\",\"resourceVersion\":7}}}",
            "this line is not JSON");

    @Test
    void hostileWatchLinesNeitherStopNorFreezeDiscovery() throws Exception {
        try (StubApiServer api = threeNodeCluster()) {
            try (RunningImage image = RunningImage.start(StubCluster.podA(cluster), List.of())) {
                image.awaitAlive(Duration.ofSeconds(20));
                eventually(image, "both neighbours", json -> json.get("neighbourhood").asArray().size() == 2);
                for (String line : HOSTILE_LINES) {
                    for (String resource : List.of("pods", "nodes")) {
                        boolean endsTheWatch = !line.contains("\"name\":42");
                        if (endsTheWatch) {
                            injectUntilRelisted(api, resource, line);
                        } else {
                            waitFor(resource + " watch open", () -> api.injectRawWatchLine(resource, line) > 0 ? true : null);
                        }
                    }
                }

                long started = System.nanoTime();
                api.deletePod("kube-system", "pod-c");
                eventually(image, "pod-c's deletion seen", json -> json.get("neighbourhood").asArray().size() == 1);
                System.out.printf("deletion after hostile lines seen in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                api.putNode("node-b", true, false);
                eventually(image, "node-b's cordon seen", json -> json.get("neighbourhood").asArray().isEmpty());

                String output = image.output();
                assertTrue(!output.contains("Exception in thread"), output);
                assertTrue(output.contains("event=api_unreachable resource=pods"), "the failure is logged: " + output);
                assertTrue(output.contains("malformed event"), output);
            }
        }
    }

    /**
     * Writes {@code line} into the open watches of {@code resource} until the image lists that resource again:
     * the stub still counts a watch the image has already left until a write to it fails.
     */
    private static void injectUntilRelisted(StubApiServer api, String resource, String line) throws Exception {
        String list = resource.equals("pods") ? "/api/v1/namespaces/kube-system/pods?limit=" : "/api/v1/nodes?limit=";
        long before = lists(api, list);
        waitFor("relist of " + resource + " after " + line, () -> {
            api.injectRawWatchLine(resource, line);
            Thread.sleep(300);
            return lists(api, list) > before ? true : null;
        });
    }

    private static long lists(StubApiServer api, String list) {
        return api.requests().stream().filter(r -> r.pathAndQuery().startsWith(list) && !r.pathAndQuery().contains("continue"))
                .count();
    }

    private interface Condition {
        boolean holds(JsonObject alive);
    }

    private static JsonObject eventually(RunningImage image, String what, Condition condition) throws Exception {
        return waitFor(what, () -> {
            JsonObject json = Json.parse(image.get("/alive").body()).asObject();
            return condition.holds(json) ? json : null;
        });
    }

    private static void awaitReady(RunningImage image, int status) throws Exception {
        waitFor("/ready " + status, () -> image.get("/ready").statusCode() == status ? Boolean.TRUE : null);
    }

    /** {@link Eventually} for a probe that answers null until it holds. */
    private static <T> T waitFor(String what, Callable<T> probe) throws Exception {
        return Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(250), what, probe::call, Objects::nonNull, () -> "");
    }
}
