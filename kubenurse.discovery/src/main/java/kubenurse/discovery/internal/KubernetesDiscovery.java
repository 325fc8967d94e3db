package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import kubenurse.config.LogValue;
import kubenurse.config.Config;
import kubenurse.discovery.Discovery;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * Discovery in a cluster: one watcher for the kubenurse pods (server-side label selector, namespace or
 * all), and two for just the nodes the decisions need. Their changes are gathered by a
 * {@link SnapshotPublisher}, which recomputes the neighbours and our node's state once per burst, so readers
 * never compute and a rollout's event storm costs one recomputation.
 *
 * <p>Why not all nodes: a kubelet updates its Node's status every 10 s to 5 min and a Node is tens of KB
 * (image lists), so with every pod watching every node, each of N pods receives every node's updates: at
 * 5,000 nodes updating every 10 s, 30,000 events and 552 MiB per pod per minute, N times over for the
 * API server; with the watches below, 69 events and 1.2 MiB (bench/api-cost.sh, 10 cordoned nodes). What the decisions read of nodes is only: our own node (exists, cordoned: /ready), which
 * nodes are cordoned (their pods are no neighbours), and that a neighbour's node exists. So:
 * <ul>
 * <li>our own node by name ({@code fieldSelector=metadata.name=<node>}): its own status updates only; it
 * starts once the name is known (NODE_NAME, else our pod's spec.nodeName);</li>
 * <li>cordoned nodes ({@code fieldSelector=spec.unschedulable=true}): the API server sends DELETED when a
 * node is uncordoned and ADDED when cordoned; only the few cordoned nodes' updates arrive. Kept with
 * KUBENURSE_ALLOW_UNSCHEDULABLE too: a pod on a cordoned node reports itself not ready on purpose, and is
 * still checked only if we know its node is cordoned. The node.kubernetes.io/unschedulable taint cannot be
 * selected; the node lifecycle controller keeps it equal to spec.unschedulable (it adds and removes it), so
 * the field is the cordon. Our own node is read in full, taint included;</li>
 * <li>a node that exists: a node with a kubenurse pod on it. When a node is deleted, the pod
 * garbage collector marks its pods Failed and deletes them (40 s quarantine, 20 s period), which the pod
 * watch sees: the neighbours on a deleted node leave within about a minute instead of at once. Before that,
 * such a node has usually been NotReady for 40 s and the node lifecycle controller has set its pods'
 * Ready condition to False, which already takes them out. The alternatives cost more: a metadata-only watch
 * of all nodes still sends every status update as an event (its resourceVersion changes): all 30,000 events
 * a minute and, with 3 KB of metadata a node, 92 MiB; a look-up per candidate node costs a request per node
 * and period from every pod, 5,000 x 5,000 at scale, and sees a deletion only at the next look-up; a watch
 * per chosen node (limit K) costs K watches per pod and K nodes' updates, and none covers an unlimited
 * neighbourhood.</li>
 * </ul>
 * The cordoned watch's objects are checked on our side too ({@link MirroredObjects}'s wanted): a server that
 * ignored the field selector would cost bytes, not correctness.
 */
public final class KubernetesDiscovery implements Discovery {

    private static final Logger LOG = System.getLogger("kubenurse.discovery");
    private static final String NODES = "/api/v1/nodes";
    /** How often a watch that went silent is looked for (and closed, so that it is made anew). */
    private static final Duration WATCHDOG_PERIOD = Duration.ofSeconds(1);

    private final Config config;
    private final ApiClient api;
    private final ExecutorService threads;
    private final WatchSettings settings;
    private final ResourceWatcher<PodInfo> pods;
    private final ResourceWatcher<NodeInfo> cordoned;
    /** Our own node, watched by name once the name is known; null until then. */
    private volatile ResourceWatcher<NodeInfo> ownNodeWatcher;
    private final ApiHealth podsHealth;
    private final ApiHealth cordonedHealth;
    private final ApiHealth ownNodeHealth;
    private final NeighbourSelector selector;
    private final SnapshotPublisher publisher;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kubenurse-discovery-watchdog").daemon().factory());
    private volatile boolean closed;

    KubernetesDiscovery(Config config, ApiClient api, WatchSettings settings, Duration gather,
            ExecutorService threads) {
        this.config = config;
        this.api = api;
        this.threads = threads;
        this.settings = settings;
        this.publisher = new SnapshotPublisher(this::compute, this::everyFirstList, gather);
        this.podsHealth = new ApiHealth("pods", publisher::listFailed);
        this.cordonedHealth = new ApiHealth("cordoned-nodes", publisher::listFailed);
        this.ownNodeHealth = new ApiHealth("own-node", publisher::listFailed);
        String namespace = config.neighbours().namespace();
        String podsPath = namespace.isEmpty() ? "/api/v1/pods" : "/api/v1/namespaces/" + namespace + "/pods";
        this.pods = new ResourceWatcher<>(podsPath, ResourceWatcher.selectors(config.neighbours().filter(), ""),
                PodInfo::of, PodInfo::key, pod -> true, api, settings, podsHealth, this::podsChanged);
        this.cordoned = new ResourceWatcher<>(NODES, ResourceWatcher.selectors("", "spec.unschedulable=true"),
                NodeInfo::of, NodeInfo::key, NodeInfo::unschedulable, api, settings, cordonedHealth, publisher::changed);
        this.selector = new NeighbourSelector(config.identity().podName(), config.neighbours().allowUnschedulable(),
                config.neighbours().limit());
    }

    /** Starts discovery against the API server of the configuration (which must not be in local mode). */
    public static KubernetesDiscovery start(Config config) {
        return start(config, WatchSettings.DEFAULT, SnapshotPublisher.GATHER);
    }

    static KubernetesDiscovery start(Config config, WatchSettings settings, Duration gather) {
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-discovery-", 0).factory());
        ApiClient api;
        try {
            api = ApiClient.of(config, threads);
        } catch (IllegalStateException unusable) {
            threads.shutdownNow();
            throw unusable;
        }
        KubernetesDiscovery discovery = new KubernetesDiscovery(config, api, settings, gather, threads);
        threads.execute(discovery.publisher::run);
        threads.execute(discovery.pods::run);
        threads.execute(discovery.cordoned::run);
        discovery.watchOwnNodeOnceKnown();
        discovery.watchdog.scheduleWithFixedDelay(discovery::closeSilentWatches, WATCHDOG_PERIOD.toMillis(),
                WATCHDOG_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "event=discovery_started api_server=" + LogValue.quote(LogValue.redactedUrl(api.base()))
                + " namespace=" + LogValue.quote(config.neighbours().namespace())
                + " selector=" + LogValue.quote(config.neighbours().filter()));
        return discovery;
    }

    @Override
    public Neighbours snapshot() {
        return publisher.current();
    }

    @Override
    public CompletableFuture<Neighbours> firstLists() {
        return publisher.firstLists();
    }

    @Override
    public void onChange(Consumer<Neighbours> listener) {
        publisher.onChange(listener);
    }

    /** True once pods, cordoned nodes and our own node have each been listed once. */
    private boolean everyFirstList() {
        ResourceWatcher<NodeInfo> own = ownNodeWatcher;
        return pods.synced() && cordoned.synced() && own != null && own.synced();
    }

    /** The snapshot as the mirrored pods and nodes stand now; on the publisher's thread only. */
    private Neighbours compute() {
        String own = ownNode();
        Map<String, NodeInfo> nodes = podNodes();
        List<Neighbour> eligible = selector.eligible(own, pods.objects(), nodes);
        return new Neighbours(selector.choose(own, eligible), eligible, ownNodeReady(own), ownPodReady());
    }

    /** Whether the others see our pod as one to check: Running, Ready, not being deleted; true when not listed. */
    private boolean ownPodReady() {
        String ownPod = config.identity().podName();
        return pods.objects().stream().filter(pod -> pod.name().equals(ownPod)).findFirst()
                .map(pod -> "Running".equals(pod.phase()) && pod.ready() && !pod.deleting()).orElse(true);
    }

    /**
     * The nodes the pods run on, as the selector wants them: each exists (see the class comment), cordoned
     * if the cordoned watch has it. None before the first list of cordoned nodes, as none were known before
     * the first node list when all nodes were watched.
     */
    private Map<String, NodeInfo> podNodes() {
        if (!cordoned.synced()) {
            return Map.of();
        }
        Map<String, NodeInfo> byName = new HashMap<>();
        for (PodInfo pod : pods.objects()) {
            byName.computeIfAbsent(pod.nodeName(), name -> new NodeInfo(name, false));
        }
        for (NodeInfo node : cordoned.objects()) {
            byName.computeIfPresent(node.name(), (name, known) -> node);
        }
        return byName;
    }

    private boolean ownNodeReady(String own) {
        ResourceWatcher<NodeInfo> watcher = ownNodeWatcher;
        if (own == null || watcher == null || !watcher.synced()) {
            return true;
        }
        return watcher.objects().stream().anyMatch(n -> n.name().equals(own) && !n.unschedulable());
    }

    /** Pods changed: the neighbours may have, and with the first list our own node's name may be known. */
    private void podsChanged() {
        publisher.changed();
        watchOwnNodeOnceKnown();
    }

    /**
     * Starts the watch of our own node, alone, once its name is known: at start with NODE_NAME, else when the
     * pods show our own pod's node. Only the first call that knows the name starts it.
     */
    private void watchOwnNodeOnceKnown() {
        if (ownNodeWatcher != null || closed) {
            return;
        }
        String name = ownNode();
        if (name == null) {
            return;
        }
        ResourceWatcher<NodeInfo> watcher = new ResourceWatcher<>(NODES,
                ResourceWatcher.selectors("", "metadata.name=" + name), NodeInfo::of, NodeInfo::key,
                node -> node.name().equals(name), api, settings, ownNodeHealth, publisher::changed);
        synchronized (this) {
            if (ownNodeWatcher != null || closed) {
                return;
            }
            ownNodeWatcher = watcher;
        }
        threads.execute(watcher::run);
    }

    @Override
    public Optional<String> problem() {
        return Stream.of(podsHealth.problem(), cordonedHealth.problem(), ownNodeHealth.problem()).flatMap(Optional::stream)
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

    /** The watchdog's task: never throws, so that the schedule goes on. */
    private void closeSilentWatches() {
        try {
            pods.closeIfIdle();
            cordoned.closeIfIdle();
            ResourceWatcher<NodeInfo> own = ownNodeWatcher;
            if (own != null) {
                own.closeIfIdle();
            }
        } catch (RuntimeException unexpected) {
            LOG.log(Level.ERROR, "event=watchdog_failed error=" + LogValue.quote(String.valueOf(unexpected)));
        }
    }

    @Override
    public void close() {
        ResourceWatcher<NodeInfo> own;
        synchronized (this) {
            closed = true;
            own = ownNodeWatcher;
        }
        watchdog.shutdownNow();
        pods.stop();
        cordoned.stop();
        if (own != null) {
            own.stop();
        }
        threads.shutdownNow();
        api.close();
    }
}
