package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import kubenurse.discovery.Neighbour;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The list+watch protocol's rarer turns, against a stub API server over real HTTPS: a watch that dies
 * without a word, bookmarks, and a continue token that expires between two pages of a list.
 */
class ResourceWatcherTest {

    private static final Map<String, String> KUBENURSE = Map.of("app.kubernetes.io/name", "kubenurse");
    private static final String PODS = "/api/v1/namespaces/kube-system/pods";

    @RegisterExtension
    final StubClusterAccess cluster = new StubClusterAccess();
    private KubernetesDiscovery discovery;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    private void start(WatchSettings settings) {
        discovery = cluster.discover(Map.of(), settings, Duration.ofMillis(50));
    }

    private StubApiServer api() {
        return cluster.api();
    }

    @Test
    void aWatchSilentBeyondTheIdleLimitIsReplacedByOneFromTheLastResourceVersion() throws Exception {
        // the server would keep each watch open for a minute: only the idle limit can end a dead one
        Duration idleLimit = Duration.ofSeconds(1);
        start(new WatchSettings(500, Duration.ofSeconds(5), Duration.ofSeconds(60), idleLimit,
                Duration.ofMillis(50), Duration.ofMillis(400)));
        waitFor("initial", Duration.ofSeconds(10), () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        // live watches hear a bookmark every 200 ms, as from a real API server, so only a dead one goes idle
        background.execute(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                api().sendBookmarks();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        });
        waitFor("a pod watch open", Duration.ofSeconds(5), () -> api().silenceOpenWatches("pods") > 0);
        long silencedAt = System.nanoTime();
        long watchesBefore = watches(PODS);
        api().putPod("kube-system", "pod-f", "node-c", "10.0.0.6", "Running", KUBENURSE, false);
        waitFor("pod-f, through the watch that replaced the silent one", idleLimit.plusSeconds(5),
                () -> neighbourNames().contains("pod-f"));
        double seconds = (System.nanoTime() - silencedAt) / 1e9;
        System.out.printf("ResourceWatcherTest: silent watch replaced after %.1f s (idle limit %s)%n", seconds, idleLimit);
        assertTrue(seconds >= idleLimit.toMillis() / 1e3 - 0.25, "replaced after " + seconds + " s, before its idle limit");
        assertEquals(3, lists(), "resumed from the last resourceVersion, not relisted: one list of pods, two of nodes");
        long replacements = watches(PODS) - watchesBefore;
        assertTrue(replacements >= 1 && replacements <= 2, replacements + " new pod watches: only the dead one is replaced");
    }

    @Test
    void aWatchResumesFromTheResourceVersionOfTheLastBookmark() throws Exception {
        // a long idle limit: here watches end only by their 2 s timeoutSeconds
        start(new WatchSettings(500, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(400)));
        waitFor("initial", Duration.ofSeconds(10), () -> neighbourNames().equals(List.of("pod-b", "pod-c")));
        // changes the pod watch does not see: without a bookmark it would resume from an older version
        api().putNode("node-d", false, false);
        api().putNode("node-e", false, false);
        long bookmarked = api().resourceVersion();
        String resumed = "resourceVersion=" + bookmarked;
        waitFor("a pod watch from the bookmark's resourceVersion " + bookmarked, Duration.ofSeconds(10), () -> {
            api().sendBookmarks(); // into whichever pod watch is open now; the next one must start from it
            return api().requests().stream().anyMatch(r -> r.pathAndQuery().startsWith(PODS + "?watch=true")
                    && r.pathAndQuery().contains(resumed + "&"));
        });
        assertEquals(3, lists(), "resumed, never relisted (pods, our node, cordoned nodes): " + api().requests());
    }

    @Test
    void aListWhoseContinueTokenExpiredStartsOverAtOnceWithoutThePagesBefore() throws Exception {
        // between the first page (pod-a, pod-b) and the second, pod-b is deleted and the token expires
        api().expireNextContinueToken(PODS, () -> api().deletePod("kube-system", "pod-b"));
        // a long backoff: the new list must not wait for it, since a 410 on a continue token is no failure
        start(new WatchSettings(2, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(10)));
        waitFor("listed once more, without the deleted pod-b", Duration.ofSeconds(5),
                () -> neighbourNames().equals(List.of("pod-c")));
        List<String> pages = api().requests().stream().map(StubApiServer.Request::pathAndQuery)
                .filter(p -> p.startsWith(PODS + "?limit=")).map(p -> p.contains("continue=") ? "next page" : "first page")
                .toList();
        // the new list fits one page: pod-a and pod-c
        assertEquals(List.of("first page", "next page", "first page"), pages);
        Thread.sleep(500);
        assertEquals(List.of("pod-c"), neighbourNames(), "nothing of the abandoned list came back");
        assertTrue(discovery.problem().isEmpty(), "no failure to report: " + discovery.problem());
    }

    private List<String> neighbourNames() {
        return discovery.snapshot().neighbours().stream().map(Neighbour::podName).sorted().toList();
    }

    /** Full lists started, of pods and nodes. */
    private long lists() {
        return api().requests().stream().filter(r -> r.pathAndQuery().contains("?limit=")
                && !r.pathAndQuery().contains("continue")).count();
    }

    private long watches(String path) {
        return api().requests().stream().filter(r -> r.pathAndQuery().startsWith(path + "?watch=true")).count();
    }

    private static void waitFor(String what, Duration limit, BooleanSupplier condition) {
        Eventually.within(limit, what, condition::getAsBoolean, Boolean::booleanValue);
    }
}
