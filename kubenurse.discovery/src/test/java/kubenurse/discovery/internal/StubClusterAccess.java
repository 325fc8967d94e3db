package kubenurse.discovery.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import kubenurse.config.Config;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What discovery tests share, as a JUnit extension ({@code @RegisterExtension}): before each test a
 * {@link TestCluster} (token {@code token-1}) of pod-a, pod-b and pod-c (10.0.0.1-3) on node-a, node-b and
 * node-c; {@link #discover} starts discovery against it as pod-a, watching the kubenurse pods of kube-system,
 * {@link #report} the node reports of pod-a on node-a. After each test all are stopped.
 */
final class StubClusterAccess implements BeforeEachCallback, AfterEachCallback {

    /** Made once for all discovery tests: openssl takes a while. */
    private static TestCluster.Certificates certificates;

    private Path dir;
    private TestCluster cluster;
    private KubernetesDiscovery discovery;
    private ApiNodeReports reports;

    private static synchronized TestCluster.Certificates certificates() throws IOException {
        if (certificates == null) {
            certificates = TestCluster.Certificates.make(temporary("kubenurse-discovery-ca"));
        }
        return certificates;
    }

    private static Path temporary(String prefix) throws IOException {
        Path made = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(made), "delete " + made));
        return made;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kubenurse-discovery-test");
        cluster = TestCluster.builder().certificates(certificates()).token("token-1")
                .withKubenurseNodes(3, i -> "10.0.0." + (i + 1)).start(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (discovery != null) {
            discovery.close();
            discovery = null;
        }
        if (reports != null) {
            reports.close();
            reports = null;
        }
        cluster.close();
        delete(dir);
    }

    StubApiServer api() {
        return cluster.api();
    }

    void rotateToken(String token) {
        cluster.rotateToken(token);
    }

    /** Starts discovery (closed after the test), with {@code extra} over the default environment. */
    KubernetesDiscovery discover(Map<String, String> extra, WatchSettings settings, Duration gather) {
        Map<String, String> env = cluster.environmentFor("pod-a", null);
        env.putAll(extra);
        discovery = KubernetesDiscovery.start(Config.fromEnvironment(env, "host"), settings, gather);
        return discovery;
    }

    /** Starts the node reports of pod-a on node-a (closed after the test), with {@code extra} over the default environment. */
    ApiNodeReports report(Map<String, String> extra, ReportSettings settings) {
        Map<String, String> env = cluster.environmentFor("pod-a", "node-a");
        env.putAll(extra);
        reports = ApiNodeReports.start(Config.fromEnvironment(env, "host"), settings);
        return reports;
    }

    /** How many requests of {@code method} to {@code pathAndQuery} the API server received so far. */
    long requests(String method, String pathAndQuery) {
        return api().requests().stream().filter(r -> r.method().equals(method) && r.pathAndQuery().equals(pathAndQuery))
                .count();
    }

    /** {@link Eventually} with the deadline these tests share. */
    static void waitFor(String what, BooleanSupplier condition) {
        Eventually.within(Duration.ofSeconds(10), what, condition::getAsBoolean, Boolean::booleanValue);
    }

    private static void delete(Path tree) {
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + tree, e);
        }
    }
}
