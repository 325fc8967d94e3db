package kubenurse.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A small Kubernetes API server over real HTTPS for tests and benchmarks: pods and nodes with list (paged
 * with limit/continue, label selectors of the k=v form, field selectors as the real one supports them) and
 * watch (resourceVersion, bookmarks, timeoutSeconds, DELETED/ADDED when an object leaves or enters a selector),
 * a node read by name, Events created and patched, a node's status patched (conditions merged by type),
 * node status churn as kubelets cause it, and the bytes and events sent for each request ({@link Traffic}),
 * plus the faults a real one shows: 410 Gone (also for an expired continue token), ERROR events, 401, 5xx,
 * a request or a watch that hangs, a watch that dies silently, a truncated chunk, and any raw line a test
 * writes into the open watches. It records every request, with its Authorization header. This class is the
 * tests' handle on it; the objects and their history live in {@link StubStore} (built by {@link StubObjects}),
 * each open watch in a {@link StubWatch}, the faults asked for in {@link StubFaults}, the requests and what
 * they were sent in {@link StubTraffic}; {@link StubHandler} answers each request, its writes through
 * {@link StubWrites}.
 */
public final class StubApiServer implements AutoCloseable {

    /** A request as received. */
    public record Request(String method, String pathAndQuery, String authorization) {
    }

    private final HttpsServer server;
    private final StubStore store = new StubStore();
    private final StubObjects objects = new StubObjects(store);
    private final StubFaults faults = new StubFaults();
    private final StubTraffic traffic = new StubTraffic();
    private volatile StatusChurn churn;

    private StubApiServer(HttpsServer server) {
        this.server = server;
    }

    public static StubApiServer start(SSLContext tls) throws IOException {
        return start(tls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static StubApiServer start(SSLContext tls, InetSocketAddress address) throws IOException {
        return start(tls, address, new String[0]);
    }

    /**
     * @param namedGroups the only groups the server agrees on (e.g. "secp256r1": an API server limited to NIST
     *                    curves, as one built for FIPS 140); none given: the JDK's
     */
    public static StubApiServer start(SSLContext tls, InetSocketAddress address, String... namedGroups) throws IOException {
        HttpsServer https = HttpsServer.create(address, 128);
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = tls.getDefaultSSLParameters();
                if (namedGroups.length > 0) {
                    parameters.setNamedGroups(namedGroups);
                }
                params.setSSLParameters(parameters);
            }
        });
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        StubApiServer stub = new StubApiServer(https);
        https.createContext("/", new StubHandler(stub.store, stub.faults, stub.traffic)::handle);
        https.start();
        return stub;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return traffic.requests();
    }

    /** Bytes and events sent per request so far, in the order received; watches still open keep counting. */
    public List<Traffic> traffic() {
        return traffic.traffic();
    }

    /** Only requests with "Authorization: Bearer TOKEN" are served; others get 401. */
    public void requireToken(String token) {
        faults.requireToken(token);
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} fail with {@code status}. */
    public void failNext(String pathPrefix, int status, int times) {
        faults.failNext(pathPrefix, status, times);
    }

    /**
     * Requests whose path starts with {@code pathPrefix} are received (and recorded) but not answered until
     * {@link #releaseHungRequests()} or {@link #close()}: an API server that accepts and then hangs.
     */
    public void hangRequests(String pathPrefix) {
        faults.hangRequests(pathPrefix);
    }

    /** The hung requests are answered now, and later ones at once. */
    public void releaseHungRequests() {
        faults.releaseHungRequests();
    }

    /** Watches are accepted, answered with headers, then stay silent. */
    public void hangWatches(boolean hang) {
        faults.hangWatches(hang);
    }

    /** The next watch sends half an event and ends. */
    public void truncateNextWatch() {
        faults.truncateNextWatch();
    }

    /** The next watch sends an ERROR event with code 410 (what etcd compaction looks like mid-watch). */
    public void errorGoneOnNextWatch() {
        faults.errorGoneOnNextWatch();
    }

    /**
     * The next list request of {@code path} that carries a continue token gets 410 Gone (reason Expired), as
     * when etcd compacted the list's revision between two pages; {@code meanwhile} runs first, to change
     * objects as happened in that time.
     */
    public void expireNextContinueToken(String path, Runnable meanwhile) {
        faults.expireNextContinueToken(path, meanwhile);
    }

    /**
     * Forgets all history and ends the open watches: resuming from an older resourceVersion gets 410 Gone,
     * as after an etcd compaction.
     */
    public void compact() {
        store.compact();
    }

    /**
     * Writes {@code line} as it is (no JSON needed) into every open watch of {@code resource} ("pods" or
     * "nodes"), after the events pending there; returns how many watches were open.
     */
    public int injectRawWatchLine(String resource, String line) {
        return store.injectLine(resource, null, line);
    }

    /** As {@link #injectRawWatchLine(String, String)}, only into the watches with this fieldSelector ("" for none). */
    public int injectRawWatchLine(String resource, String fieldSelector, String line) {
        return store.injectLine(resource, fieldSelector, line);
    }

    /**
     * The watches of {@code resource} open now send nothing more until their timeoutSeconds, while later
     * watches work: a connection that died silently. Returns how many were open.
     */
    public int silenceOpenWatches(String resource) {
        return store.silence(resource);
    }

    /**
     * Sends a BOOKMARK event with the current resourceVersion into every open watch that asked for them;
     * returns how many watches were open.
     */
    public int sendBookmarks() {
        return store.bookmarkAll();
    }

    /**
     * From now on every node's status changes once per {@code period} (a new heartbeat in its conditions, as
     * a kubelet's status update), spread evenly over the period; open watches get a bookmark every minute,
     * as from a real API server; the history keeps {@code historyEvents} events. Ends with {@link #close()}.
     */
    public synchronized void churnNodeStatus(Duration period, int historyEvents) {
        if (churn != null) {
            throw new IllegalStateException("status churn already runs");
        }
        store.limitHistory(historyEvents);
        churn = StatusChurn.start(store, period);
    }

    /** Node status updates made by {@link #churnNodeStatus} so far. */
    public long statusUpdates() {
        StatusChurn running = churn;
        return running == null ? 0 : running.updates();
    }

    /** The resourceVersion of the latest change, as a list made now would carry it. */
    public long resourceVersion() {
        return store.resourceVersion();
    }

    /** Makes every node carry a status.images list of this many entries, as real nodes do (kilobytes each). */
    public void nodeImages(int count) {
        objects.nodeImages(count);
    }

    /** Makes every node carry metadata.managedFields of about this many bytes, as kubelet and controllers write. */
    public void nodeManagedFieldsBytes(int bytes) {
        objects.nodeManagedFieldsBytes(bytes);
    }

    /** Makes every pod carry an annotation of this many bytes, standing in for managedFields and the like. */
    public void podAnnotationBytes(int bytes) {
        objects.podAnnotationBytes(bytes);
    }

    /** Mean size in bytes of the JSON of the pods or the nodes held, as a list returns them. */
    public long meanJsonBytes(String kind) {
        return store.meanJsonBytes(kind, object -> object);
    }

    /** Mean size in bytes of their metadata alone: what a metadata-only (PartialObjectMetadata) view sends. */
    public long meanMetadataJsonBytes(String kind) {
        return store.meanJsonBytes(kind, object -> object.get("metadata").asObject());
    }

    public void putNode(String name, boolean unschedulable, boolean unschedulableTaint) {
        objects.putNode(name, unschedulable, unschedulableTaint);
    }

    /** The node's metadata.uid (made from its name). */
    public String nodeUid(String name) {
        return StubObjects.nodeUid(name);
    }

    /** The node's status.conditions as stored now, in order; empty when the node does not exist. */
    public List<JsonObject> nodeConditions(String name) {
        JsonObject node = store.get("nodes", name);
        if (node == null || node.get("status").asObject().get("conditions") == null) {
            return List.of();
        }
        return node.get("status").asObject().get("conditions").asArray().values().stream()
                .map(condition -> Json.parse(condition.toString()).asObject()).toList();
    }

    /** Sets one condition of the node's status, replacing the one of its type, as another writer would. */
    public void putNodeCondition(String name, JsonObject condition) {
        objects.putNodeCondition(name, condition);
    }

    /** Every Event stored now (created and patched by the clients), ordered by namespace and name. */
    public List<JsonObject> events() {
        return store.list(new StubStore.Selection("events", null, null, FieldSelector.EVERYTHING)).items().stream()
                .map(event -> Json.parse(event.toString()).asObject()).toList();
    }

    public void deleteNode(String name) {
        store.remove("nodes", name);
    }

    /**
     * What the pod garbage collector does to the pods bound to {@code node} once that node is gone (after
     * its 40 s quarantine): each is marked Failed, then deleted. Returns how many there were.
     */
    public int collectOrphanedPods(String node) {
        return objects.collectOrphanedPods(node);
    }

    public void putPod(String namespace, String name, String nodeName, String podIp, String phase,
            Map<String, String> labels, boolean deleting) {
        putPod(namespace, name, nodeName, podIp, phase, labels, deleting, true);
    }

    /** A pod whose Ready condition is {@code ready}: what the kubelet sets from the readiness probe. */
    public void putPod(String namespace, String name, String nodeName, String podIp, String phase,
            Map<String, String> labels, boolean deleting, boolean ready) {
        objects.putPod(namespace, name, nodeName, podIp, phase, labels, deleting, ready);
    }

    public void deletePod(String namespace, String name) {
        store.remove("pods", namespace + "/" + name);
    }

    /** Stops serving at once: connections are cut, as when an API server goes away. */
    @Override
    public void close() {
        StatusChurn running = churn;
        if (running != null) {
            running.stop();
        }
        faults.closing();
        store.wakeAll();
        server.stop(0);
    }
}
