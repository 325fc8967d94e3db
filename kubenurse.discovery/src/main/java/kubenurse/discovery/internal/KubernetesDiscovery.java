package kubenurse.discovery.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kubenurse.config.LogValue;
import kubenurse.config.Config;
import kubenurse.config.ServiceAccount;
import kubenurse.config.UrlHost;
import kubenurse.discovery.Discovery;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * Discovery in a cluster: one watcher for the kubenurse pods (server-side label selector, namespace or
 * all), one for the nodes. Their changes are gathered by a {@link SnapshotPublisher}, which recomputes the
 * neighbours and our node's state once per burst, so readers never compute and a rollout's event storm
 * costs one recomputation.
 */
public final class KubernetesDiscovery implements Discovery {

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final Config config;
    private final ApiClient api;
    private final ExecutorService threads;
    private final ResourceWatcher<PodInfo> pods;
    private final ResourceWatcher<NodeInfo> nodes;
    private final ApiHealth podsHealth = new ApiHealth("pods");
    private final ApiHealth nodesHealth = new ApiHealth("nodes");
    private final NeighbourSelector selector;
    private final SnapshotPublisher publisher;
    private volatile boolean closed;

    KubernetesDiscovery(Config config, ApiClient api, WatchSettings settings, Duration gather,
            ExecutorService threads) {
        this.config = config;
        this.api = api;
        this.threads = threads;
        this.publisher = new SnapshotPublisher(this::compute, gather);
        String namespace = config.neighbours().namespace();
        String podsPath = namespace.isEmpty() ? "/api/v1/pods" : "/api/v1/namespaces/" + namespace + "/pods";
        this.pods = new ResourceWatcher<>(podsPath, config.neighbours().filter(), PodInfo::of, PodInfo::key, api,
                settings, podsHealth, publisher::changed);
        this.nodes = new ResourceWatcher<>("/api/v1/nodes", "", NodeInfo::of, NodeInfo::key, api, settings,
                nodesHealth, publisher::changed);
        this.selector = new NeighbourSelector(config.identity().podName(), config.neighbours().allowUnschedulable(),
                config.neighbours().limit());
    }

    /** Starts discovery against the API server of the configuration (which must not be in local mode). */
    public static KubernetesDiscovery start(Config config) {
        return start(config, WatchSettings.DEFAULT, SnapshotPublisher.GATHER);
    }

    static KubernetesDiscovery start(Config config, WatchSettings settings, Duration gather) {
        String host = config.apiServer().host().orElseThrow(() -> new IllegalStateException("no API server in local mode"));
        URI base = URI.create("https://" + UrlHost.of(host) + ":" + config.apiServer().port());
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-discovery-", 0).factory());
        ApiClient api;
        try {
            ServiceAccount account = ServiceAccount.of(config);
            api = new ApiClient(base, account, ApiClient.trust(account), threads);
        } catch (IOException | GeneralSecurityException unusable) {
            threads.shutdownNow();
            throw new IllegalStateException("cannot read the API server's CA " + config.apiServer().caFile() + ": "
                    + unusable.getMessage(), unusable);
        }
        KubernetesDiscovery discovery = new KubernetesDiscovery(config, api, settings, gather, threads);
        threads.execute(discovery.publisher::run);
        threads.execute(discovery.pods::run);
        threads.execute(discovery.nodes::run);
        threads.execute(discovery::watchdog);
        LOG.log(Level.INFO, "event=discovery_started api_server=" + LogValue.quote(LogValue.redactedUrl(base))
                + " namespace=" + LogValue.quote(config.neighbours().namespace())
                + " selector=" + LogValue.quote(config.neighbours().filter()));
        return discovery;
    }

    @Override
    public Neighbours snapshot() {
        return publisher.current();
    }

    /** The snapshot as the mirrored pods and nodes stand now; on the publisher's thread only. */
    private Neighbours compute() {
        Map<String, NodeInfo> nodesByName = nodes.objects().stream()
                .collect(Collectors.toMap(NodeInfo::name, n -> n, (a, b) -> b));
        String own = ownNode();
        List<Neighbour> eligible = selector.eligible(own, pods.objects(), nodesByName);
        return new Neighbours(selector.choose(own, eligible), eligible, ownNodeReady(own, nodesByName));
    }

    private boolean ownNodeReady(String own, Map<String, NodeInfo> nodesByName) {
        if (!nodes.synced() || own == null) {
            return true;
        }
        NodeInfo node = nodesByName.get(own);
        return node != null && !node.unschedulable();
    }

    @Override
    public Optional<String> problem() {
        return Stream.of(podsHealth.problem(), nodesHealth.problem()).flatMap(Optional::stream)
                .max(Comparator.comparingLong(ApiHealth.Problem::atNanos)).map(ApiHealth.Problem::text);
    }

    /** NODE_NAME, else the node our own pod runs on. */
    String ownNode() {
        if (config.identity().nodeName().isPresent()) {
            return config.identity().nodeName().get();
        }
        String ownPod = config.identity().podName();
        return pods.objects().stream().filter(p -> p.name().equals(ownPod)).map(PodInfo::nodeName)
                .filter(n -> !n.isEmpty()).findFirst().orElse(null);
    }

    private void watchdog() {
        while (!closed) {
            pods.closeIfIdle();
            nodes.closeIfIdle();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException stopping) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        pods.stop();
        nodes.stop();
        threads.shutdownNow();
        api.close();
    }
}
