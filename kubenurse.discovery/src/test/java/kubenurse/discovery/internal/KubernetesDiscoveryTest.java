package kubenurse.discovery.internal;

import static kubenurse.discovery.internal.StubClusterAccess.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import kubenurse.testing.LogLines;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.Traffic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery against a stub API server over real HTTPS, with the faults a real one shows. */
class KubernetesDiscoveryTest {

    private static final Map<String, String> KUBENURSE = Map.of("app.kubernetes.io/name", "kubenurse");
    /** Short timings, so that ends of watches, idle watches and backoff happen within a test. */
    private static final WatchSettings FAST = new WatchSettings(2, Duration.ofSeconds(5), Duration.ofSeconds(2),
            Duration.ofMillis(1500), Duration.ofMillis(50), Duration.ofMillis(400));

    @RegisterExtension
    final StubClusterAccess cluster = new StubClusterAccess();
    private StubApiServer api;
    private KubernetesDiscovery discovery;

    @BeforeEach
    void api() {
        api = cluster.api();
        api.putPod("kube-system", "other-app", "node-b", "10.0.0.9", "Running", Map.of("app", "other"), false);
        api.putPod("default", "kubenurse-elsewhere", "node-c", "10.0.0.8", "Running", KUBENURSE, false);
    }

    private KubernetesDiscovery start(Map<String, String> extra) {
        return start(extra, FAST);
    }

    private KubernetesDiscovery start(Map<String, String> extra, WatchSettings settings) {
        discovery = cluster.discover(extra, settings, Duration.ofMillis(50));
        return discovery;
    }

    private List<String> neighbourNames() {
        return discovery.snapshot().neighbours().stream().map(Neighbour::podName).sorted().toList();
    }

    @Test
    void theSnapshotListsEveryEligibleNeighbourBesideTheOnesTheLimitChooses() throws Exception {
        start(Map.of("KUBENURSE_NEIGHBOUR_LIMIT", "1"));
        waitFor("two eligible", () -> discovery.snapshot().eligible().size() == 2);
        Neighbours snapshot = discovery.snapshot();
        assertEquals(List.of("pod-b", "pod-c"), snapshot.eligible().stream().map(Neighbour::podName).toList());
        assertEquals(1, snapshot.neighbours().size(), snapshot.toString());
        assertTrue(snapshot.eligible().containsAll(snapshot.neighbours()), snapshot.toString());
    }

    @Test
    void findsTheOtherKubenursePodsWithServerSideFilteringPagingAndTheToken() throws Exception {
        start(Map.of());
        waitFor("two neighbours", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        Neighbour b = discovery.snapshot().neighbours().stream().filter(n -> n.podName().equals("pod-b")).findFirst().orElseThrow();
        assertEquals(new Neighbour("pod-b", "10.0.0.2", "192.168.0.1", "node-b", "Running"), b);
        assertEquals("node-a", discovery.ownNode(), "own node from our own pod's spec.nodeName");
        assertTrue(discovery.snapshot().ownNodeReady());
        waitFor("watching nodes", () -> api.requests().stream()
                .anyMatch(r -> r.pathAndQuery().startsWith("/api/v1/nodes?watch=true&allowWatchBookmarks=true")));
        List<StubApiServer.Request> requests = api.requests();
        assertTrue(requests.stream().anyMatch(r -> r.pathAndQuery().startsWith("/api/v1/namespaces/kube-system/pods?limit=2"
                + "&labelSelector=app.kubernetes.io%2Fname%3Dkubenurse")), requests.toString());
        assertTrue(requests.stream().anyMatch(r -> r.pathAndQuery().contains("continue=2")), "paged list: " + requests);
        assertTrue(requests.stream().allMatch(r -> "Bearer token-1".equals(r.authorization())), requests.toString());
    }

    @Test
    void theSnapshotIsPublishedAndLoggedWhenPodsChangeWithNobodyAsking() throws Exception {
        try (LogLines log = LogLines.listen("kubenurse.discovery", "event=neighbours_changed")) {
            start(Map.of());
            waitFor("neighbours_changed logged by discovery itself",
                    () -> log.messages().contains("event=neighbours_changed count=2 nodes=\"node-b,node-c\""));
            api.deletePod("kube-system", "pod-c");
            waitFor("and again on a change", () -> log.messages().contains("event=neighbours_changed count=1 nodes=\"node-b\""));
        }
    }

    @Test
    void theSnapshotSaysWhetherTheOthersSeeOurPodReady() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        assertTrue(discovery.snapshot().ownPodReady(), "pod-a is listed Running and Ready");
        api.putPod("kube-system", "pod-a", "node-a", "10.0.0.1", "Running", KUBENURSE, true);
        waitFor("pod-a being deleted", () -> !discovery.snapshot().ownPodReady());
        api.putPod("kube-system", "pod-a", "node-a", "10.0.0.1", "Running", KUBENURSE, false, false);
        api.putPod("kube-system", "pod-d", "node-c", "10.0.0.4", "Running", KUBENURSE, false);
        waitFor("a later change", () -> neighbourNames().contains("pod-d"));
        assertTrue(!discovery.snapshot().ownPodReady(), "pod-a not Ready");
        api.deletePod("kube-system", "pod-a");
        waitFor("not listed: nothing known", () -> discovery.snapshot().ownPodReady());
    }

    @Test
    void followsAddsDeletesDeletionMarksAndSurgePods() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api.putPod("kube-system", "pod-b2", "node-b", "10.0.0.22", "Running", KUBENURSE, false, false);
        // a later pod event on the same watch: once it is in the snapshot, so is whatever pod-b2's did
        api.putPod("kube-system", "pod-d", "node-c", "10.0.0.4", "Running", KUBENURSE, false);
        waitFor("the later pod-d", () -> neighbourNames().contains("pod-d"));
        assertEquals(List.of("pod-b", "pod-c", "pod-d"), neighbourNames(), "a new pod is not checked before it is Ready");
        api.deletePod("kube-system", "pod-d");
        api.putPod("kube-system", "pod-b2", "node-b", "10.0.0.22", "Running", KUBENURSE, false, true);
        waitFor("surge pod kept beside the old one", () -> neighbourNames().equals(List.of("pod-b", "pod-b2", "pod-c")));
        api.putPod("kube-system", "pod-b", "node-b", "10.0.0.2", "Running", KUBENURSE, true);
        waitFor("a pod being deleted is no neighbour", () -> neighbourNames().equals(List.of("pod-b2", "pod-c")));
        api.deletePod("kube-system", "pod-c");
        waitFor("deleted", () -> neighbourNames().equals(List.of("pod-b2")));
    }

    @Test
    void cordonTakesANodesPodsOutAndOurOwnCordonMakesUsNotReady() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api.putNode("node-b", true, false);
        waitFor("pods on a cordoned node are not checked", () -> neighbourNames().equals(List.of("pod-c")));
        api.putNode("node-a", false, true);
        waitFor("own node tainted unschedulable", () -> !discovery.snapshot().ownNodeReady());
        api.putNode("node-a", false, false);
        waitFor("uncordoned", () -> discovery.snapshot().ownNodeReady());
        api.deleteNode("node-a");
        waitFor("own node gone", () -> !discovery.snapshot().ownNodeReady());
    }

    @Test
    void allowUnschedulableKeepsCordonedNodesAndNodeNameWins() throws Exception {
        api.putNode("node-b", true, false);
        start(Map.of("KUBENURSE_ALLOW_UNSCHEDULABLE", "true", "KUBENURSE_NODE_NAME", "node-c"));
        waitFor("both", () -> neighbourNames().equals(List.of("pod-a", "pod-b")) || neighbourNames().equals(List.of("pod-b")));
        assertEquals("node-c", discovery.ownNode());
        assertEquals(List.of("pod-b"), neighbourNames(), "pod-c is on our node (NODE_NAME), pod-a is ourselves");
    }

    @Test
    void relistsAfter410GoneAndAfterAnErrorEvent() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        long listsBefore = lists();
        api.compact();
        api.putPod("kube-system", "pod-d", "node-c", "10.0.0.4", "Running", KUBENURSE, false);
        waitFor("relisted after 410", () -> lists() > listsBefore && neighbourNames().contains("pod-d"));
        long listsAfter = lists();
        api.errorGoneOnNextWatch();
        waitFor("relisted after an ERROR 410 event", () -> lists() > listsAfter);
        api.deletePod("kube-system", "pod-d");
        waitFor("still following", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
    }

    /** The resourceVersions that the pod watches asked for after the first {@code skip} requests start from. */
    private List<Long> podWatchesFrom(int skip) {
        List<StubApiServer.Request> requests = api.requests();
        return requests.subList(skip, requests.size()).stream().map(StubApiServer.Request::pathAndQuery)
                .filter(q -> q.startsWith("/api/v1/namespaces/kube-system/pods?watch=true"))
                .map(q -> Long.parseLong(q.replaceFirst(".*[?&]resourceVersion=(\\d+).*", "$1"))).toList();
    }

    /** Lines sent so far into the watches whose path and query start with {@code prefix}. */
    private long watchLines(String prefix) {
        return api.traffic().stream().filter(Traffic::watch).filter(t -> t.request().pathAndQuery().startsWith(prefix))
                .mapToLong(t -> t.events().get()).sum();
    }

    /** Full lists started, of pods and nodes (an ERROR event may reach any watch). */
    private long lists() {
        return api.requests().stream().filter(r -> r.pathAndQuery().contains("?limit=")
                && !r.pathAndQuery().contains("continue")).count();
    }

    @Test
    void resumesWatchesFromTheLastResourceVersionWhenTheyEnd() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        // the 2 s watches end twice; each relist would come before the watch that follows it
        waitFor("a third pod watch", () -> api.requests().stream()
                .filter(r -> r.pathAndQuery().startsWith("/api/v1/namespaces/kube-system/pods?watch=true")).count() >= 3);
        assertEquals(3, lists(), "an ended watch is resumed, not relisted: one list of pods, one of our node, one of"
                + " cordoned nodes");
    }

    @Test
    void aRotatedTokenIsPickedUpAfter401() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api.requireToken("token-2");
        waitFor("watches ended and were refused", () -> discovery.problem().orElse("").contains("401"));
        cluster.rotateToken("token-2");
        api.putPod("kube-system", "pod-e", "node-c", "10.0.0.5", "Running", KUBENURSE, false);
        waitFor("served again with the new token", () -> neighbourNames().contains("pod-e"));
        assertTrue(api.requests().stream().anyMatch(r -> "Bearer token-2".equals(r.authorization())));
        assertTrue(api.requests().stream().noneMatch(r -> r.authorization() == null));
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        api.failNext("/api/v1/namespaces/kube-system/pods", 503, 3);
        start(Map.of());
        waitFor("listed after three 503s", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        assertTrue(api.requests().size() >= 4);
    }

    @Test
    void aSilentWatchIsAbandonedAndResumed() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api.hangWatches(true);
        int requestsBefore = api.requests().size();
        api.putPod("kube-system", "pod-f", "node-c", "10.0.0.6", "Running", KUBENURSE, false);
        long podF = api.resourceVersion();
        // the hung watch given up (or ended) and resumed from a resourceVersion older than pod-f's: the watcher
        // had received pod-f neither by that watch nor by a list
        waitFor("a pod watch resumed from before pod-f", () -> podWatchesFrom(requestsBefore).stream().anyMatch(from -> from < podF));
        assertFalse(neighbourNames().contains("pod-f"), "the hung watch delivered nothing");
        api.hangWatches(false);
        waitFor("after the idle limit the watch is resumed", () -> neighbourNames().contains("pod-f"));
    }

    @Test
    void aTruncatedEventIsNotAppliedAndTheWatchResumes() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        int requestsBefore = api.requests().size();
        api.truncateNextWatch();
        // the next watch is the truncated one; the one after it starts once the truncated one was handled
        waitFor("two watches after the truncated one was asked for", () -> api.requests().subList(requestsBefore,
                api.requests().size()).stream().filter(r -> r.pathAndQuery().contains("watch=true")).count() >= 2);
        api.putPod("kube-system", "pod-g", "node-c", "10.0.0.7", "Running", KUBENURSE, false);
        waitFor("later events arrive", () -> neighbourNames().contains("pod-g"));
        assertFalse(neighbourNames().contains("half"));
    }

    /** Each was once enough to end a watcher's thread for good, freezing the neighbour list. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410.0,\"message\":\"too old\"}}",
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":42,\"namespace\":[],\"resourceVersion\":7}}}",
        "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"},\"spec\":{\"unschedulable\":\"yes\"}}}",
        "this is not JSON",
        "[1, 2]",
    })
    void aHostileWatchLineNeitherStopsNorFreezesDiscovery(String hostile) throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        long podLines = watchLines("/api/v1/namespaces/kube-system/pods?");
        long nodeLines = watchLines("/api/v1/nodes?");
        waitFor("the line queued in an open pod watch", () -> api.injectRawWatchLine("pods", hostile) > 0);
        waitFor("the line queued in an open node watch", () -> api.injectRawWatchLine("nodes", hostile) > 0);
        // sent before the changes below, which would otherwise go out ahead of it on the same watch
        waitFor("the lines sent", () -> watchLines("/api/v1/namespaces/kube-system/pods?") > podLines
                && watchLines("/api/v1/nodes?") > nodeLines);
        api.deletePod("kube-system", "pod-c");
        waitFor("pods still followed", () -> neighbourNames().equals(List.of("pod-b")));
        api.putNode("node-b", true, false);
        waitFor("nodes still followed", () -> neighbourNames().isEmpty());
        waitFor("no problem once lists and watches succeed again", () -> discovery.problem().isEmpty());
    }

    @Test
    void aWatchThatBreaksAtOnceEveryTimeIsRelistedWithGrowingWaits() throws Exception {
        start(Map.of(), new WatchSettings(2, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMillis(1500),
                Duration.ofMillis(50), Duration.ofMillis(1600)));
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        long before = lists();
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            api.injectRawWatchLine("pods", "not JSON"); // every pod watch breaks as soon as it opens
            Thread.sleep(5);
        }
        long relists = lists() - before;
        // waits of 50, 100, 200, 400, 800, 1600 ms (each half to all of it): at most 8 in 3 s; with the wait
        // back at 50 ms after every watch that opened, about 20
        assertTrue(relists >= 3 && relists <= 10, relists + " relists in 3 s");
    }

    @Test
    void problemSaysWhatFailedLastUntilTheWatcherSucceedsAgain() throws Exception {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        assertEquals(java.util.Optional.empty(), discovery.problem());
        api.failNext("/api/v1/nodes", 503, 1_000);
        api.injectRawWatchLine("nodes", "not JSON"); // ends the node watches; their relists then fail
        waitFor("the node list's failure reported", () -> discovery.problem().orElse("")
                .matches("(cordoned-nodes|own-node): (list|watch) /api/v1/nodes: unexpected status \\(HTTP 503\\)"));
        assertEquals(List.of("pod-b", "pod-c"), neighbourNames(), "the last known state stays in use");
        api.failNext("/api/v1/nodes", 503, 0);
        waitFor("no problem after a successful list", () -> discovery.problem().isEmpty());
    }

    @Test
    void withTheApiServerGoneTheLastKnownNeighboursStay() throws Exception {
        // retries after the first failure are logged at debug
        try (LogLines log = LogLines.listenToEveryLevel("kubenurse.discovery", "")) {
            apiServerGone(log);
        }
    }

    private void apiServerGone(LogLines log) {
        start(Map.of());
        waitFor("initial", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        api.close();
        // a relist of the pods that failed, twice: the second comes after a backoff longer than the gather
        // time, so anything the first one dropped would be published by then
        waitFor("two failed relists of the pods", () -> log.messages().stream().filter(l -> l.contains("resource=pods")
                && l.contains("error=\"list /api/v1/namespaces/kube-system/pods")).count() >= 2);
        assertEquals(List.of("pod-b", "pod-c"), neighbourNames());
        assertTrue(discovery.snapshot().ownNodeReady());
    }
}
