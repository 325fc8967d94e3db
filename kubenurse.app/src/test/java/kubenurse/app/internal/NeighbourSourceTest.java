package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbours;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode (no KUBERNETES_SERVICE_HOST): no discovery, nobody to check, our node counts as ready. In a cluster
 * (a stub API server over HTTPS): the neighbours are there once the first lists are awaited.
 */
class NeighbourSourceTest {

    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    @TempDir
    Path dir;

    @Test
    void afterAwaitingTheFirstListsTheNeighboursAreKnown() throws Exception {
        try (StubApiServer api = stubCluster(List.of("node-a", "node-b"))) {
            try (NeighbourSource source = NeighbourSource.of(podA(api))) {
                assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)), "first lists within 20 s");
                assertEquals(List.of("pod-b"), source.neighbours().get().stream().map(n -> n.podName()).toList());
                assertEquals("ok", source.state().get());
            }
        }
    }

    @Test
    void aClusterWithNobodyElseToCheckEndsTheWaitOnceListed() throws Exception {
        // one node: the first snapshot equals the empty one, and the wait must end with it all the same
        try (StubApiServer api = stubCluster(List.of("node-a")); NeighbourSource source = NeighbourSource.of(podA(api))) {
            assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)), "the first lists, empty of neighbours, ended the wait");
            assertEquals(List.of(), source.neighbours().get());
            assertEquals("ok", source.state().get());
        }
    }

    /** A stub API server over HTTPS with pod-N on node-N (pod-a on node-a, ...) for each node given. */
    private StubApiServer stubCluster(List<String> nodes) throws Exception {
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:127.0.0.1,DNS:localhost");
        Path serviceAccount = Files.createDirectories(dir.resolve("sa"));
        Files.copy(ca.cert(), serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "token");
        StubApiServer api = StubApiServer.start(TestCertificates.serverContext(cert));
        for (int i = 0; i < nodes.size(); i++) {
            api.putNode(nodes.get(i), false, false);
            api.putPod("kube-system", nodes.get(i).replace("node-", "pod-"), nodes.get(i), "127.0.0." + (i + 1), "Running",
                    LABELS, false);
        }
        return api;
    }

    private Config podA(StubApiServer api) {
        return Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()), "KUBENURSE_SERVICEACCOUNT_DIR",
                dir.resolve("sa").toString(), "KUBENURSE_NAMESPACE", "kube-system", "KUBENURSE_NEIGHBOUR_FILTER",
                "app.kubernetes.io/name=kubenurse", "KUBENURSE_POD_NAME", "pod-a", "KUBENURSE_NODE_NAME", "node-a"),
                "pod-a");
    }

    @Test
    void aListThatFailsEndsTheWaitAtOnce() throws Exception {
        Path serviceAccount = Files.createDirectories(dir.resolve("sa"));
        Files.writeString(serviceAccount.resolve("token"), "token");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Config config = Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(closedPort), "KUBENURSE_SERVICEACCOUNT_DIR",
                serviceAccount.toString(), "KUBENURSE_NAMESPACE", "kube-system", "KUBENURSE_POD_NAME", "pod-a",
                "KUBENURSE_NODE_NAME", "node-a"), "pod-a");
        try (NeighbourSource source = NeighbourSource.of(config)) {
            long started = System.nanoTime();
            assertTrue(source.awaitFirstLists(Duration.ofSeconds(20)));
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "waited for a refusing API server");
            assertTrue(source.state().get().contains("nodes") || source.state().get().contains("pods"),
                    source.state().get());
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
