package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbours;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode (no KUBERNETES_SERVICE_HOST): no discovery, nobody to check, our node counts as ready. In a cluster
 * (a stub API server over HTTPS): the neighbours are there once the first lists are awaited.
 */
class NeighbourSourceTest {

    @TempDir
    Path dir;

    @Test
    void afterAwaitingTheFirstListsTheNeighboursAreKnown() throws Exception {
        try (TestCluster cluster = stubCluster(2)) {
            try (NeighbourSource source = NeighbourSource.of(podA(cluster))) {
                assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)), "first lists within 20 s");
                assertEquals(List.of("pod-b"), source.neighbours().get().stream().map(n -> n.podName()).toList());
                assertEquals("ok", source.state().get());
            }
        }
    }

    @Test
    void aClusterWithNobodyElseToCheckEndsTheWaitOnceListed() throws Exception {
        // one node: the first snapshot equals the empty one, and the wait must end with it all the same
        try (TestCluster cluster = stubCluster(1); NeighbourSource source = NeighbourSource.of(podA(cluster))) {
            assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)), "the first lists, empty of neighbours, ended the wait");
            assertEquals(List.of(), source.neighbours().get());
            assertEquals("ok", source.state().get());
        }
    }

    /** A stub API server over HTTPS with pod-a on node-a, pod-b on node-b, ... (127.0.0.1, .2, ...), {@code nodes} in all. */
    private TestCluster stubCluster(int nodes) throws Exception {
        return TestCluster.builder().withKubenurseNodes(nodes, i -> "127.0.0." + (i + 1)).start(dir);
    }

    private static Config podA(TestCluster cluster) {
        return Config.fromEnvironment(cluster.environmentFor("pod-a", "node-a"), "pod-a");
    }

    @Test
    void aListThatFailsEndsTheWaitAtOnce() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens here once closed: the API server refuses
        }
        Config config;
        try (TestCluster cluster = stubCluster(1)) {
            java.util.Map<String, String> env = cluster.environmentFor("pod-a", "node-a");
            env.put("KUBERNETES_SERVICE_PORT", String.valueOf(closedPort));
            config = Config.fromEnvironment(env, "pod-a");
        }
        try (NeighbourSource source = NeighbourSource.of(config)) {
            long started = System.nanoTime();
            assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)));
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "waited for a refusing API server");
            String state = source.state().get();
            assertTrue(state.contains("nodes") || state.contains("pods"), state);
        }
    }

    @Test
    void localModeIsTheEmptySnapshotWithAReadyNode() {
        try (NeighbourSource source = NeighbourSource.of(Config.fromEnvironment(Map.of(), "host"))) {
            assertSame(Neighbours.none(), source.snapshot());
            assertEquals(List.of(), source.neighbours().get());
            assertTrue(source.ownNodeReady().getAsBoolean());
            assertEquals("skipped", source.state().get());
            PrometheusRegistry registry = new PrometheusRegistry();
            source.registerHealth(registry);
            assertEquals(List.of(), registry.scrape().stream().map(s -> s.getMetadata().getName()).toList(),
                    "no discovery health without discovery");
        }
    }
}
