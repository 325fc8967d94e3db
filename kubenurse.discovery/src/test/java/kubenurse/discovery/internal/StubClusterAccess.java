package kubenurse.discovery.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kubenurse.config.Config;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;

/**
 * What discovery tests share: a {@link TestCluster} (token {@code token-1}) and {@link #discover}, which starts
 * discovery against it as pod-a, watching the kubenurse pods of kube-system. Closing stops both.
 */
final class StubClusterAccess implements AutoCloseable {

    private final TestCluster cluster;
    private KubernetesDiscovery discovery;

    private StubClusterAccess(TestCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * Starts the cluster of pod-a, pod-b and pod-c (10.0.0.1-3) on node-a, node-b and node-c, with
     * {@code certificates} made once per test class (openssl takes a while).
     */
    static StubClusterAccess start(TestCluster.Certificates certificates, Path dir) throws Exception {
        return new StubClusterAccess(TestCluster.builder().certificates(certificates).token("token-1")
                .withKubenurseNodes(3, i -> "10.0.0." + (i + 1)).start(dir));
    }

    StubApiServer api() {
        return cluster.api();
    }

    void rotateToken(String token) {
        cluster.rotateToken(token);
    }

    /** Starts discovery (closed with this), with {@code extra} over the default environment. */
    KubernetesDiscovery discover(Map<String, String> extra, WatchSettings settings, Duration gather) {
        Map<String, String> env = cluster.environmentFor("pod-a", null);
        env.putAll(extra);
        discovery = KubernetesDiscovery.start(Config.fromEnvironment(env, "host"), settings, gather);
        return discovery;
    }

    /** {@link Eventually} with the deadline these tests share. */
    static void waitFor(String what, BooleanSupplier condition) {
        Eventually.within(Duration.ofSeconds(10), what, condition::getAsBoolean, Boolean::booleanValue);
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        cluster.close();
    }
}
