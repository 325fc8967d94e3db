package kubenurse.discovery.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kubenurse.config.LogValue;
import kubenurse.config.Config;
import kubenurse.config.UrlHost;
import kubenurse.discovery.Discovery;
import kubenurse.discovery.NeighbourPod;

/**
 * Discovery in a cluster: one watcher for the kubenurse pods (server-side label selector, namespace or
 * all), one for the nodes. The neighbour list is computed when asked and the data changed since, not on
 * every watch event, so a rollout's event storm costs nothing until the next check cycle.
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
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Selected> selected = new AtomicReference<>(new Selected(-1, List.of()));
    private volatile boolean closed;

    private record Selected(long atChange, List<NeighbourPod> neighbours) {
    }

    KubernetesDiscovery(Config config, ApiClient api, WatchSettings settings, ExecutorService threads) {
        this.config = config;
        this.api = api;
        this.threads = threads;
        String namespace = config.neighbours().namespace();
        String podsPath = namespace.isEmpty() ? "/api/v1/pods" : "/api/v1/namespaces/" + namespace + "/pods";
        this.pods = new ResourceWatcher<>(podsPath, config.neighbours().filter(), PodInfo::of, PodInfo::key, api,
                settings, podsHealth, changes::incrementAndGet);
        this.nodes = new ResourceWatcher<>("/api/v1/nodes", "", NodeInfo::of, NodeInfo::key, api, settings,
                nodesHealth, changes::incrementAndGet);
        this.selector = new NeighbourSelector(config.identity().podName(), config.neighbours().allowUnschedulable(),
                config.neighbours().limit());
    }

    /** Starts discovery against the API server of the configuration (which must not be in local mode). */
    public static KubernetesDiscovery start(Config config) {
        return start(config, WatchSettings.DEFAULT);
    }

    static KubernetesDiscovery start(Config config, WatchSettings settings) {
        String host = config.apiServer().host().orElseThrow(() -> new IllegalStateException("no API server in local mode"));
        URI base = URI.create("https://" + UrlHost.of(host) + ":" + config.apiServer().port());
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-discovery-", 0).factory());
        ApiClient api;
        try {
            api = new ApiClient(base, new ServiceAccountToken(config.apiServer().tokenFile()),
                    ApiClient.trust(config.apiServer().caFile(), config.checks().extraCa()), threads);
        } catch (IOException | GeneralSecurityException unusable) {
            threads.shutdownNow();
            throw new IllegalStateException("cannot read the API server's CA " + config.apiServer().caFile() + ": "
                    + unusable.getMessage(), unusable);
        }
        KubernetesDiscovery discovery = new KubernetesDiscovery(config, api, settings, threads);
        threads.execute(discovery.pods::run);
        threads.execute(discovery.nodes::run);
        threads.execute(discovery::watchdog);
        LOG.log(Level.INFO, "event=discovery_started api_server=" + LogValue.quote(LogValue.redactedUrl(base))
                + " namespace=" + LogValue.quote(config.neighbours().namespace())
                + " selector=" + LogValue.quote(config.neighbours().filter()));
        return discovery;
    }

    @Override
    public List<NeighbourPod> neighbours() {
        long now = changes.get();
        Selected known = selected.get();
        if (known.atChange() == now) {
            return known.neighbours();
        }
        Map<String, NodeInfo> nodesByName = nodes.objects().stream()
                .collect(Collectors.toMap(NodeInfo::name, n -> n, (a, b) -> b));
        List<NeighbourPod> neighbours = selector.select(ownNode(), pods.objects(), nodesByName);
        if (!neighbours.equals(known.neighbours())) {
            LOG.log(Level.INFO, "event=neighbours_changed count=" + neighbours.size() + " nodes=" + LogValue.quote(
                    neighbours.stream().map(NeighbourPod::nodeName).distinct().collect(Collectors.joining(","))));
        }
        selected.set(new Selected(now, neighbours));
        return neighbours;
    }

    @Override
    public boolean ownNodeReady() {
        String own = ownNode();
        if (!nodes.synced() || own == null) {
            return true;
        }
        NodeInfo node = nodes.get(own);
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
