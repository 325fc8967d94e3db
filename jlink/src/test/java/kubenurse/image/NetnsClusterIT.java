package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import kubenurse.image.fixture.DelayingRelay;
import kubenurse.image.fixture.DurationMeans;
import kubenurse.image.fixture.DurationMeans.Means;
import kubenurse.image.fixture.MetricsText;
import kubenurse.image.fixture.NetnsCluster;
import kubenurse.image.fixture.NetworkNamespaces;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.TestJvm;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three "nodes" made of network namespaces on a bridge, each running the real linked image as its pod,
 * a stub API server on the bridge, and real faults. This kernel has no netem, so: 100 % loss is the node's
 * link set down; +100 ms is a user-space relay in front of the node that delays what the node sends
 * (the relay answers the TCP handshake itself, so a fresh connection + request meets the delay once, on
 * the response; netem on the node's egress would add it twice, to the SYN-ACK too); the API server outage
 * is the stub server stopped and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "usable", disabledReason = "needs root and iproute2 (ip netns): the multi-node suite was not run")
class NetnsClusterIT {

    private static final int NODES = 3;
    private static final String API_DNS = NetnsCluster.API_DNS;
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    @TempDir
    static Path dir;
    private static NetworkNamespaces net;
    private static TestCluster cluster;
    private static StubApiServer api;
    private static final List<RunningPod> pods = new ArrayList<>();

    private record RunningPod(String name, Process process) {
    }
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static boolean usable() {
        return NetworkNamespaces.usableFor("NetnsClusterIT");
    }

    @BeforeAll
    static void cluster() throws Exception {
        net = new NetworkNamespaces();
        net.create(NODES, net.bridgeIp() + " " + API_DNS);
        cluster = NetnsCluster.onBridge(net).withPodsOnNodes(NODES,
                n -> new TestCluster.Pod(pod(n), node(n), net.ip(n), LABELS, false)).start(dir);
        api = cluster.api();
        for (int n = 0; n < NODES; n++) {
            pods.add(startPod(n, pod(n)));
        }
        // as a kubelet: Ready, and so a neighbour to check, once its /ready answers. Listed Ready from the start, the
        // pod that started first checked one not listening yet (a CI run: connection refused, in the healthy test).
        for (int n = 0; n < NODES; n++) {
            int node = n;
            waitFor("pod " + n + " answers /ready", Duration.ofSeconds(30), () -> {
                HttpResponse<String> ready = get(node, "/ready");
                return ready != null && ready.statusCode() == 200 ? ready : null;
            });
            api.putPod(TestCluster.NAMESPACE, pod(n), node(n), net.ip(n), "Running", LABELS, false, true);
        }
    }

    private static RunningPod startPod(int n, String name) throws IOException {
        return new RunningPod(name, NetnsCluster.startPod(net, cluster, n, name, Map.of("KUBENURSE_CHECK_INTERVAL", "1s"),
                dir.resolve("pod-" + n + ".log")));
    }

    @AfterAll
    static void teardown() {
        pods.forEach(p -> p.process().destroyForcibly());
        if (cluster != null) {
            cluster.close();
        }
        if (net != null) {
            net.close();
        }
    }

    private static String node(int n) {
        return "node-" + (char) ('a' + n);
    }

    private static String pod(int n) {
        return "pod-" + (char) ('a' + n);
    }

    @Test
    @Order(1)
    void threeHealthyNodesCheckEachOtherWithoutErrorsWithinTenSeconds() throws Exception {
        long start = System.nanoTime();
        for (int n = 0; n < NODES; n++) {
            int node = n;
            JsonObject alive = waitFor("pod " + node + " checks both others, all ok", Duration.ofSeconds(10), () -> {
                JsonObject json = alive(node);
                return json != null && json.get("neighbourhood").asArray().size() == 2
                        && "ok".equals(json.getString("neighbourhood_state", ""))
                        && "ok".equals(json.getString("api_server_direct", ""))
                        && "ok".equals(json.getString("api_server_dns", "")) ? json : null;
            });
            assertEquals(2, alive.get("neighbourhood").asArray().size());
        }
        System.out.printf("netns: 3 nodes healthy after %.1f s%n", (System.nanoTime() - start) / 1e9);
        for (int n = 0; n < NODES; n++) {
            assertEquals(Map.of(), errors(n), "errors on pod " + n);
        }
    }

    @Test
    @Order(2)
    void aCutNodeIsReportedByThoseWhoCheckItAndNoOtherPathSuffers() throws Exception {
        net.cut(2);
        long cutAt = System.nanoTime();
        try {
            for (int n = 0; n < 2; n++) {
                int node = n;
                waitFor("pod " + node + " reports path_node-c", Duration.ofSeconds(1 + 5 + 3), () -> {
                    JsonObject json = alive(node);
                    String outcome = json == null ? null : json.get("last_check_result").asObject().getString("path_node-c", null);
                    return outcome != null && !outcome.equals("ok") ? outcome : null;
                });
            }
            System.out.printf("netns: cut node reported by both checkers after %.1f s%n", (System.nanoTime() - cutAt) / 1e9);
            for (int n = 0; n < 2; n++) {
                JsonObject json = alive(n);
                String other = "path_" + node(1 - n);
                assertEquals("ok", json.get("last_check_result").asObject().getString(other, null), json.toString());
                Map<String, Double> errors = errors(n);
                errors.keySet().removeIf(k -> k.startsWith("path_node-c ") || k.startsWith("api_server"));
                assertEquals(Map.of(), errors, "errors other than the cut node's path on pod " + n);
            }
        } finally {
            net.restore(2);
        }
        waitFor("all paths ok again", Duration.ofSeconds(20), () -> {
            JsonObject a = alive(0);
            JsonObject c = alive(2);
            return a != null && c != null && "ok".equals(a.getString("neighbourhood_state", ""))
                    && "ok".equals(c.getString("neighbourhood_state", "")) ? a : null;
        });
    }

    @Test
    @Order(3)
    void aRollingRestartRaisesNoFalseAlarm() throws Exception {
        for (int n = 0; n < NODES; n++) {
            Map<Integer, Map<String, Double>> before = new LinkedHashMap<>();
            for (int other = 0; other < NODES; other++) {
                if (other != n) {
                    before.put(other, errors(other));
                }
            }
            // as the kubelet does it: deletionTimestamp first, then SIGTERM; the old pod drains, not ready
            api.putPod("kube-system", pods.get(n).name(), node(n), net.ip(n), "Running", LABELS, true);
            pods.get(n).process().destroy();
            assertTrue(pods.get(n).process().waitFor(15, java.util.concurrent.TimeUnit.SECONDS),
                    "old pod " + pods.get(n).name() + " still running 15 s after SIGTERM");
            assertEquals(0, pods.get(n).process().exitValue(), "old pod " + pods.get(n).name() + " exits 0 after draining");
            api.deletePod("kube-system", pods.get(n).name());
            // the new pod: Running at once, Ready only once its readiness probe (/ready) passes
            String fresh = pod(n) + "-r" + System.nanoTime() % 1000;
            api.putPod("kube-system", fresh, node(n), net.ip(n), "Running", LABELS, false, false);
            pods.set(n, startPod(n, fresh));
            int node = n;
            waitFor("new pod " + fresh + " ready", Duration.ofSeconds(20), () -> {
                HttpResponse<String> ready = get(node, "/ready");
                return ready != null && ready.statusCode() == 200 ? ready : null;
            });
            api.putPod("kube-system", fresh, node(n), net.ip(n), "Running", LABELS, false, true);
            Thread.sleep(2000); // two more cycles, with the new pod among the neighbours
            for (int other : before.keySet()) {
                Map<String, Double> grown = new LinkedHashMap<>();
                // a series may also have gone: the replaced pod's path series are removed while it is away
                errors(other).forEach((series, count) -> {
                    if (count > before.get(other).getOrDefault(series, 0.0)) {
                        grown.put(series, count);
                    }
                });
                assertEquals(Map.of(), grown, "kubenurse_errors_total grew on " + pods.get(other).name()
                        + " while " + fresh + " replaced the pod on " + node(n) + " (before: " + before.get(other) + ")");
            }
        }
        for (int n = 0; n < NODES; n++) {
            int node = n;
            waitFor("pod " + node + " checks both new neighbours", Duration.ofSeconds(15), () -> {
                JsonObject json = alive(node);
                return json != null && json.get("neighbourhood").asArray().size() == 2
                        && "ok".equals(json.getString("neighbourhood_state", "")) ? json : null;
            });
            assertEquals(Map.of(), errors(n), "errors on the new " + pods.get(n).name() + " after the rollout");
        }
    }

    @Test
    @Order(4)
    void withTheApiServerStoppedNeighbourChecksGoOnAndAllRecovers() throws Exception {
        cluster.stopApi();
        api = null;
        long stoppedAt = System.nanoTime();
        Thread.sleep(5000);
        for (int n = 0; n < NODES; n++) {
            JsonObject json = alive(n);
            assertTrue(json != null, "pod " + n + " answers while the API server is away");
            assertEquals("ok", json.getString("neighbourhood_state", ""), json.toString());
            assertEquals(2, json.get("neighbourhood").asArray().size(), "last known neighbours kept: " + json);
            assertTrue(!"ok".equals(json.getString("api_server_direct", "")), json.toString());
        }
        Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - stoppedAt) / 1_000_000));
        // the API server returns with the same objects, as after a restart of a real one
        api = cluster.startApi();
        for (int n = 0; n < NODES; n++) {
            api.putNode(node(n), false, false);
            api.putPod("kube-system", pods.get(n).name(), node(n), net.ip(n), "Running", LABELS, false);
        }
        for (int n = 0; n < NODES; n++) {
            int node = n;
            waitFor("pod " + node + " healthy after the API server returned", Duration.ofSeconds(40), () -> {
                HttpResponse<String> response = get(node, "/alive");
                return response != null && response.statusCode() == 200 ? response : null;
            });
        }
    }

    @Test
    @Order(5)
    void aHundredMillisecondsMoreToOneNodeShowInItsMeanDuration() throws Exception {
        // node c's pod IP becomes a relay on the bridge that delays what node c sends
        String relayIp = net.bridgeIp().replaceAll("\\.1$", ".23");
        NetworkNamespaces.run(true, "ip", "addr", "add", relayIp + "/24", "dev", net.bridge());
        try (DelayingRelay relay = relay(relayIp, new InetSocketAddress(net.ip(2), 8080))) {
            api.putPod("kube-system", pods.get(2).name(), node(2), relayIp, "Running", LABELS, false);
            // after the API server outage of the previous test, discovery may still be backing off (30 s at most)
            waitFor("pod a checks node c through the relay", Duration.ofSeconds(45), () -> {
                JsonObject json = alive(0);
                return json != null && json.toString().contains("\"PodIP\":\"" + relayIp + "\"")
                        && "ok".equals(json.get("last_check_result").asObject().getString("path_node-c", "")) ? json : null;
            });
            // Baseline: the relay delays 50 ms; test: 150 ms. Both go through the relay, so its cost cancels, and
            // both windows are long (15 checks each), because each check's own cost varies by a few ms here.
            // Warm-up first, and long: right after the relay starts, the checks through it get faster for a
            // while (seen in CI: 109, 97, 84 ms in three windows in a row), which no averaging cancels.
            relay.delay(Duration.ofMillis(50));
            Thread.sleep(20_000);
            InetSocketAddress throughRelay = new InetSocketAddress(relayIp, 8080);
            Means before = means(0).beside("path_node-c", throughRelay, Duration.ofSeconds(15));
            relay.delay(Duration.ofMillis(150));
            Thread.sleep(1500);
            Means delayed = means(0).beside("path_node-c", throughRelay, Duration.ofSeconds(15));
            relay.delay(Duration.ofMillis(50));
            Thread.sleep(1500);
            Means after = means(0).beside("path_node-c", throughRelay, Duration.ofSeconds(15));
            // the relay's own cost drifts a little with the machine's load: take it on both sides
            double added = delayed.kubenurse() - (before.kubenurse() + after.kubenurse()) / 2;
            double plainAdded = delayed.plain() - (before.plain() + after.plain()) / 2;
            double connectAdded = delayed.connect() - (before.connect() + after.connect()) / 2;
            System.out.printf("netns: path_node-c mean %.1f / %.1f / %.1f ms (relay delay 50 / 150 / 50 ms): %+.1f ms; "
                    + "a plain client through the relay, same windows: %.1f / %.1f / %.1f ms: %+.1f ms; its connect "
                    + "alone: %+.1f ms%n", before.kubenurse() * 1e3, delayed.kubenurse() * 1e3, after.kubenurse() * 1e3,
                    added * 1e3, before.plain() * 1e3, delayed.plain() * 1e3, after.plain() * 1e3, plainAdded * 1e3,
                    connectAdded * 1e3);
            // Why +100 ms within +-50 ms. Measured in 13 runs (2 cores shared with other builds, load 0.2 to 3.8):
            // kubenurse reported +96.4 to +110.9 ms, a plain socket client through the same relay in the same
            // windows +89.7 to +117.7 ms (mostly +98.5 to +101.1: a single request slowed by the machine moves
            // a 15-request mean by 10 to 20 ms), and CI saw +88 to +103 ms earlier; the 5 % bound that failed 2
            // runs in 13 sat inside that scatter. The wrong implementations land far away: the delay counted
            // twice at +200, not at all, or only the connect (which the relay answers itself: "its connect
            // alone" above, +0.0 ms) at +0. A bound halfway between is the widest that tells them apart: an
            // honest figure must be off by 50 ms, near three times the widest scatter seen, to fail, and a
            // wrong one off by 50 ms to pass.
            assertTrue(Math.abs(added - 0.100) < 0.050, "added " + added * 1e3 + " ms: one 100 ms delay per check is "
                    + "+50 to +150 ms (a plain client through the relay: +" + plainAdded * 1e3 + " ms)");
            double other = means(0).over("path_node-b", Duration.ofSeconds(3));
            System.out.printf("netns: path_node-b (direct, no relay) mean %.1f ms%n", other * 1e3);
            assertTrue(other < 0.05, "path_node-b stays fast: " + other * 1e3 + " ms");
        } finally {
            NetworkNamespaces.run(false, "ip", "addr", "del", relayIp + "/24", "dev", net.bridge());
        }
    }

    /** The relay on the pod's port, 8080, which a wildcard listener in the root namespace would already hold. */
    private static DelayingRelay relay(String ip, InetSocketAddress target) throws IOException {
        try {
            return new DelayingRelay(InetAddress.getByName(ip), 8080, target);
        } catch (java.net.BindException taken) {
            throw new AssertionError("the relay cannot listen on " + ip + ":8080: another process on this machine listens "
                    + "on port 8080 of every address (ss -ltnp 'sport = 8080')", taken);
        }
    }

    /** Means over windows of pod {@code node}'s check durations. */
    private static DurationMeans means(int node) {
        return new DurationMeans(() -> {
            HttpResponse<String> metrics = get(node, "/metrics");
            assertTrue(metrics != null, "metrics of pod " + node);
            return metrics.body();
        });
    }

    private static HttpResponse<String> get(int node, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://" + net.ip(node) + ":8080" + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException notYet) {
            return null;
        }
    }

    private static JsonObject alive(int node) {
        HttpResponse<String> response = get(node, "/alive");
        return response == null ? null : Json.parse(response.body()).asObject();
    }

    /** "type event" -> count, for every non-zero kubenurse_errors_total series of a pod. */
    private static Map<String, Double> errors(int node) {
        HttpResponse<String> response = get(node, "/metrics");
        assertTrue(response != null, "metrics of pod " + node);
        Map<String, Double> errors = new LinkedHashMap<>();
        MetricsText.parse(response.body()).of("kubenurse_errors_total").forEach((series, value) -> {
            if (value > 0) {
                errors.put(MetricsText.label(series, "type") + " " + MetricsText.label(series, "event"), value);
            }
        });
        return errors;
    }

    /** {@link Eventually} for a probe that answers null until it holds; a failure shows the pods' last log lines. */
    private static <T> T waitFor(String what, Duration limit, Callable<T> probe) throws Exception {
        return Eventually.within(limit, Duration.ofMillis(200), what, probe::call, Objects::nonNull, NetnsClusterIT::logs);
    }

    private static String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < NODES; n++) {
            Path log = dir.resolve("pod-" + n + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                out.append("\n--- pod ").append(n).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
            }
        }
        return out + TestJvm.state();
    }
}
