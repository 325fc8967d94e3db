package kubenurse.discovery.internal;

import static kubenurse.discovery.internal.StubClusterAccess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.discovery.Neighbour;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.Traffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KubernetesDiscovery}'s node watches (our own node by name, the cordoned nodes) against the stub API
 * server over real HTTPS: the decisions stay those of a watch of all nodes, at the cost of only the nodes
 * that matter. (KubernetesDiscoveryTest covers the rest of KubernetesDiscovery; split for size.)
 */
class NodeWatchesTest {

    private static final Map<String, String> KUBENURSE = Map.of("app.kubernetes.io/name", "kubenurse");
    private static final WatchSettings FAST = new WatchSettings(500, Duration.ofSeconds(5), Duration.ofSeconds(2),
            Duration.ofMillis(1500), Duration.ofMillis(50), Duration.ofMillis(400));
    private static final String OWN = "metadata.name=node-a";
    private static final String CORDONED = "spec.unschedulable=true";

    @RegisterExtension
    final StubClusterAccess cluster = new StubClusterAccess();
    private KubernetesDiscovery discovery;

    private void start(Map<String, String> extra) {
        discovery = cluster.discover(extra, FAST, Duration.ofMillis(50));
    }

    private List<String> neighbourNames() {
        return discovery.snapshot().neighbours().stream().map(Neighbour::podName).sorted().toList();
    }

    /** Lines sent so far into node watches (no bookmarks are sent here). */
    private long nodeWatchEvents() {
        return api().traffic().stream().filter(Traffic::watch)
                .filter(t -> t.request().pathAndQuery().startsWith("/api/v1/nodes?"))
                .mapToLong(t -> t.events().get()).sum();
    }

    /** Lines sent so far into the node watches with this field selector. */
    private long watchEvents(String fieldSelector) {
        String query = "fieldSelector=" + java.net.URLEncoder.encode(fieldSelector, java.nio.charset.StandardCharsets.UTF_8);
        return api().traffic().stream().filter(Traffic::watch)
                .filter(t -> t.request().pathAndQuery().startsWith("/api/v1/nodes?") && t.request().pathAndQuery().contains(query))
                .mapToLong(t -> t.events().get()).sum();
    }

    private StubApiServer api() {
        return cluster.api();
    }

    @Test
    void otherNodesStatusUpdatesDoNotReachUs() throws Exception {
        for (int i = 0; i < 20; i++) {
            api().putNode("busy-" + i, false, false);
        }
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        waitFor("both node watches open", () -> api().injectRawWatchLine("nodes", "") == 2); // a blank line: skipped
        waitFor("the blank lines sent", () -> nodeWatchEvents() >= 2);
        long before = nodeWatchEvents();
        api().churnNodeStatus(Duration.ofMillis(500), 100_000);
        // 23 nodes every 0.5 s; one in 23 updates is our own node's, and only those reach us
        waitFor("our own node's updates arriving", () -> nodeWatchEvents() - before >= 3);
        waitFor("80 status updates", () -> api().statusUpdates() >= 80);
        long received = nodeWatchEvents() - before;
        long updates = api().statusUpdates();
        // the churn goes round the nodes in turn: our node's share, plus one for a round begun at either end
        // (a watch of all nodes would get all of them)
        assertTrue(received <= updates / 23 + 2, received + " of " + updates + " status updates reached our node watches");
        assertEquals(List.of("pod-b", "pod-c"), neighbourNames());
    }

    @Test
    void cordonTakesANeighbourOutAndUncordonBringsItBack() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api().putNode("node-b", true, false);
        waitFor("cordoned node-b's pod left out", () -> neighbourNames().equals(List.of("pod-c")));
        api().putNode("node-b", false, false);
        waitFor("uncordoned: back", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api().putNode("node-c", true, false);
        api().putNode("node-c", true, false); // a status update while cordoned
        waitFor("node-c out", () -> neighbourNames().equals(List.of("pod-b")));
        api().deleteNode("node-c");
        api().putNode("node-c", false, false); // re-registered by its kubelet, schedulable
        waitFor("node-c back", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
    }

    @Test
    void ourOwnNodeCordonedTaintedGoneOrBackDecidesReadiness() throws Exception {
        start(Map.of("KUBENURSE_NODE_NAME", "node-a"));
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        assertTrue(discovery.snapshot().ownNodeReady());
        api().putNode("node-a", false, true);
        waitFor("only tainted unschedulable: seen through the watch by name", () -> !discovery.snapshot().ownNodeReady());
        api().putNode("node-a", false, false);
        waitFor("ready again", () -> discovery.snapshot().ownNodeReady());
        api().putNode("node-a", true, false);
        waitFor("cordoned", () -> !discovery.snapshot().ownNodeReady());
        api().putNode("node-a", false, false);
        waitFor("uncordoned", () -> discovery.snapshot().ownNodeReady());
        api().deleteNode("node-a");
        waitFor("own node gone", () -> !discovery.snapshot().ownNodeReady());
        api().putNode("node-a", false, false);
        waitFor("re-registered", () -> discovery.snapshot().ownNodeReady());
    }

    @Test
    void withoutNodeNameOurNodeIsWatchedOnceOurPodNamesIt() throws Exception {
        start(Map.of());
        waitFor("own node watched by name", () -> api().injectRawWatchLine("nodes", OWN, "") > 0);
        api().putNode("node-a", true, false);
        waitFor("cordoned", () -> !discovery.snapshot().ownNodeReady());
    }

    @Test
    void aDeletedNodesNeighboursLeaveWhenThePodGarbageCollectorRemovesTheirPods() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api().deleteNode("node-b");
        // later events on both watches that could tell: a pod put, and a node cordoned (a watch of all nodes
        // would carry node-b's deletion ahead of it)
        api().putNode("node-d", false, false);
        api().putPod("kube-system", "pod-d", "node-d", "10.0.0.4", "Running", KUBENURSE, false);
        api().putNode("node-c", true, false);
        waitFor("pod-d in, node-c's pods out", () -> neighbourNames().contains("pod-d") && !neighbourNames().contains("pod-c"));
        // the documented window: nothing we watch changed yet
        assertEquals(List.of("pod-b", "pod-d"), neighbourNames(), "until the pod GC acts");
        api().putNode("node-c", false, false);
        waitFor("node-c uncordoned", () -> neighbourNames().equals(List.of("pod-b", "pod-c", "pod-d")));
        assertEquals(1, api().collectOrphanedPods("node-b"));
        waitFor("pod-b gone with its node", () -> neighbourNames().equals(List.of("pod-c", "pod-d")));
    }

    @Test
    void watchLinesForNodesWeDidNotAskForAreIgnored() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        String cordonedB = "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"node-b\",\"resourceVersion\":\"1\"},"
                + "\"spec\":{\"unschedulable\":true}}}";
        waitFor("a cordoned node-b written into the watch of our own node",
                () -> api().injectRawWatchLine("nodes", OWN, cordonedB) > 0);
        String deletedA = "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"node-a\",\"resourceVersion\":\"1\"}}}";
        waitFor("our node deleted, written into the watch of cordoned nodes",
                () -> api().injectRawWatchLine("nodes", CORDONED, deletedA) > 0);
        String schedulableC = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"node-c\",\"resourceVersion\":\"1\"}}}";
        api().injectRawWatchLine("nodes", CORDONED, schedulableC);
        // sent before the changes below, which would otherwise go out ahead of them on the same watch
        waitFor("the lines sent", () -> watchEvents(OWN) >= 1 && watchEvents(CORDONED) >= 2);
        api().putNode("node-c", true, false);
        waitFor("node-c cordoned, through the watch that had the lines", () -> !neighbourNames().contains("pod-c"));
        assertTrue(discovery.snapshot().ownNodeReady(), "our node is not gone for a line in the cordoned watch");
        api().putNode("node-a", false, true);
        waitFor("our node tainted, through the watch that had the line", () -> !discovery.snapshot().ownNodeReady());
        assertEquals(List.of("pod-b"), neighbourNames(), "node-b is not cordoned for a line in the wrong watch");
    }
}
