package kubenurse.testing;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A small Kubernetes API server over real HTTPS for tests and benchmarks: pods and nodes with list (paged
 * with limit/continue, label selectors of the k=v form, field selectors as the real one supports them) and
 * watch (resourceVersion, bookmarks, timeoutSeconds, DELETED/ADDED when an object leaves or enters a selector),
 * node status churn as kubelets cause it, and the bytes and events sent for each request ({@link Traffic}),
 * plus the faults a real one shows: 410 Gone (also for an expired continue token), ERROR events, 401, 5xx,
 * a watch that hangs or dies silently, a truncated chunk, and any raw line a test writes into the open watches.
 * It records every request, with its Authorization header. The objects and their history live in
 * {@link StubStore}, each open watch in a {@link StubWatch}.
 */
public final class StubApiServer implements AutoCloseable {

    /** A request as received. */
    public record Request(String method, String pathAndQuery, String authorization) {
    }

    private final HttpsServer server;
    private final StubStore store = new StubStore();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Traffic> traffic = Collections.synchronizedList(new ArrayList<>());
    private volatile StatusChurn churn;
    private final Map<String, AtomicInteger> failures = new LinkedHashMap<>();
    private final Map<String, Integer> failureStatus = new LinkedHashMap<>();
    private volatile String requiredToken;
    private volatile boolean hangWatches;
    private volatile boolean truncateNextWatch;
    private volatile boolean errorGoneOnNextWatch;
    private volatile int nodePaddingImages;
    private volatile int nodeManagedFieldsBytes;
    private volatile int podAnnotationBytes;
    private volatile Map.Entry<String, Runnable> expireNextContinue;

    private StubApiServer(HttpsServer server) {
        this.server = server;
    }

    public static StubApiServer start(SSLContext tls) throws IOException {
        return start(tls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static StubApiServer start(SSLContext tls, InetSocketAddress address) throws IOException {
        HttpsServer https = HttpsServer.create(address, 128);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        StubApiServer stub = new StubApiServer(https);
        https.createContext("/", stub::handle);
        https.start();
        return stub;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Bytes and events sent per request so far, in the order received; watches still open keep counting. */
    public List<Traffic> traffic() {
        synchronized (traffic) {
            return List.copyOf(traffic);
        }
    }

    /** Only requests with "Authorization: Bearer TOKEN" are served; others get 401. */
    public void requireToken(String token) {
        this.requiredToken = token;
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} fail with {@code status}. */
    public synchronized void failNext(String pathPrefix, int status, int times) {
        failures.put(pathPrefix, new AtomicInteger(times));
        failureStatus.put(pathPrefix, status);
    }

    /** Watches are accepted, answered with headers, then stay silent. */
    public void hangWatches(boolean hang) {
        this.hangWatches = hang;
    }

    /** The next watch sends half an event and ends. */
    public void truncateNextWatch() {
        this.truncateNextWatch = true;
    }

    /** The next watch sends an ERROR event with code 410 (what etcd compaction looks like mid-watch). */
    public void errorGoneOnNextWatch() {
        this.errorGoneOnNextWatch = true;
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
     * From now on every node's status changes once per {@code period} (a new heartbeat in its conditions, as
     * a kubelet's status update), spread evenly over the period; open watches get a bookmark every minute,
     * as from a real API server; the history keeps {@code historyEvents} events. Ends with {@link #close()}.
     */
    public synchronized void churnNodeStatus(java.time.Duration period, int historyEvents) {
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

    /**
     * Sends a BOOKMARK event with the current resourceVersion into every open watch that asked for them;
     * returns how many watches were open.
     */
    public int sendBookmarks() {
        return store.bookmarkAll();
    }

    /**
     * The watches of {@code resource} open now send nothing more until their timeoutSeconds, while later
     * watches work: a connection that died silently. Returns how many were open.
     */
    public int silenceOpenWatches(String resource) {
        return store.silence(resource);
    }

    /**
     * The next list request of {@code path} that carries a continue token gets 410 Gone (reason Expired), as
     * when etcd compacted the list's revision between two pages; {@code meanwhile} runs first, to change
     * objects as happened in that time.
     */
    public void expireNextContinueToken(String path, Runnable meanwhile) {
        this.expireNextContinue = Map.entry(path, meanwhile);
    }

    /** The resourceVersion of the latest change, as a list made now would carry it. */
    public long resourceVersion() {
        return store.resourceVersion();
    }

    /** Makes every node carry a status.images list of this many entries, as real nodes do (kilobytes each). */
    public void nodeImages(int count) {
        this.nodePaddingImages = count;
    }

    /** Makes every node carry metadata.managedFields of about this many bytes, as kubelet and controllers write. */
    public void nodeManagedFieldsBytes(int bytes) {
        this.nodeManagedFieldsBytes = bytes;
    }

    /** Makes every pod carry an annotation of this many bytes, standing in for managedFields and the like. */
    public void podAnnotationBytes(int bytes) {
        this.podAnnotationBytes = bytes;
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
        JsonObject spec = new JsonObject().add("unschedulable", unschedulable);
        if (unschedulableTaint) {
            spec.add("taints", new JsonArray().add(new JsonObject().add("key", "node.kubernetes.io/unschedulable")
                    .add("effect", "NoSchedule")));
        }
        JsonArray images = new JsonArray();
        for (int i = 0; i < nodePaddingImages; i++) {
            // as a kubelet lists an image: by digest, by tag, and by digest again through a registry mirror
            images.add(new JsonObject().add("names", new JsonArray()
                    .add("registry.example.com/team/image-" + i + "@sha256:" + "0123456789abcdef".repeat(4))
                    .add("mirror.registry.example.com/team/image-" + i + "@sha256:" + "fedcba9876543210".repeat(4))
                    .add("registry.example.com/team/image-" + i + ":v1." + i)).add("sizeBytes", 123456789 + i));
        }
        JsonObject metadata = new JsonObject().add("name", name)
                .add("labels", new JsonObject().add("kubernetes.io/hostname", name));
        if (nodeManagedFieldsBytes > 0) {
            metadata.add("managedFields", new JsonArray().add(new JsonObject().add("manager", "kubelet")
                    .add("operation", "Update").add("subresource", "status")
                    .add("fieldsV1", new JsonObject().add("f:status", "x".repeat(nodeManagedFieldsBytes)))));
        }
        JsonObject node = new JsonObject()
                .add("kind", "Node").add("apiVersion", "v1")
                .add("metadata", metadata)
                .add("spec", spec)
                .add("status", new JsonObject().add("conditions", StatusChurn.conditions(java.time.Instant.now()))
                        .add("images", images)
                        .add("nodeInfo", new JsonObject().add("kubeletVersion", "v1.31.0")));
        store.put("nodes", name, node);
    }

    public void deleteNode(String name) {
        store.remove("nodes", name);
    }

    /**
     * What the pod garbage collector does to the pods bound to {@code node} once that node is gone (after
     * its 40 s quarantine): each is marked Failed, then deleted. Returns how many there were.
     */
    public int collectOrphanedPods(String node) {
        List<String> orphans = new ArrayList<>();
        for (JsonObject pod : store.list(new StubStore.Selection("pods", null, null, FieldSelector.EVERYTHING)).items()) {
            if (node.equals(pod.get("spec").asObject().getString("nodeName", ""))) {
                JsonObject metadata = pod.get("metadata").asObject();
                String key = metadata.getString("namespace", "") + "/" + metadata.getString("name", "");
                JsonObject failed = new JsonObject(pod).set("metadata", new JsonObject(metadata))
                        .set("status", new JsonObject(pod.get("status").asObject()).set("phase", "Failed"));
                store.put("pods", key, failed);
                orphans.add(key);
            }
        }
        orphans.forEach(key -> store.remove("pods", key));
        return orphans.size();
    }

    public void putPod(String namespace, String name, String nodeName, String podIp, String phase,
            Map<String, String> labels, boolean deleting) {
        putPod(namespace, name, nodeName, podIp, phase, labels, deleting, true);
    }

    /** A pod whose Ready condition is {@code ready}: what the kubelet sets from the readiness probe. */
    public void putPod(String namespace, String name, String nodeName, String podIp, String phase,
            Map<String, String> labels, boolean deleting, boolean ready) {
        JsonObject labelObject = new JsonObject();
        labels.forEach(labelObject::add);
        JsonObject metadata = new JsonObject().add("name", name).add("namespace", namespace).add("labels", labelObject);
        if (podAnnotationBytes > 0) {
            metadata.add("annotations", new JsonObject().add("example.com/padding", "x".repeat(podAnnotationBytes)));
        }
        if (deleting) {
            metadata.add("deletionTimestamp", "2026-11-26T12:00:00Z");
        }
        JsonObject pod = new JsonObject()
                .add("kind", "Pod").add("apiVersion", "v1")
                .add("metadata", metadata)
                .add("spec", new JsonObject().add("nodeName", nodeName)
                        .add("containers", new JsonArray().add(new JsonObject().add("name", "kubenurse")
                                .add("image", "kubenurse:test"))))
                .add("status", new JsonObject().add("phase", phase).add("podIP", podIp).add("hostIP", "192.168.0.1")
                        .add("conditions", new JsonArray().add(new JsonObject().add("type", "Ready")
                                .add("status", ready ? "True" : "False"))));
        store.put("pods", namespace + "/" + name, pod);
    }

    public void deletePod(String namespace, String name) {
        store.remove("pods", namespace + "/" + name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() != null ? "?" + exchange.getRequestURI().getRawQuery() : "");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Request request = new Request(exchange.getRequestMethod(), pathAndQuery, authorization);
            requests.add(request);
            Traffic sent = new Traffic(request);
            traffic.add(sent);
            if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization)) {
                status(exchange, 401, "Unauthorized");
                return;
            }
            Integer failure = takeFailure(exchange.getRequestURI().getRawPath());
            if (failure != null) {
                status(exchange, failure, "injected failure");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getRawPath();
            String kind;
            String namespace = null;
            if (path.equals("/api/v1/nodes")) {
                kind = "nodes";
            } else if (path.equals("/api/v1/pods")) {
                kind = "pods";
            } else if (path.matches("/api/v1/namespaces/[^/]+/pods")) {
                kind = "pods";
                namespace = path.split("/")[4];
            } else if (path.equals("/version")) {
                json(exchange, new JsonObject().add("major", "1").add("minor", "31").add("gitVersion", "v1.31.0-stub"));
                return;
            } else {
                status(exchange, 404, "not found");
                return;
            }
            StubStore.Selection selection;
            try {
                selection = new StubStore.Selection(kind, namespace, query.get("labelSelector"),
                        FieldSelector.parse(kind, query.get("fieldSelector")));
            } catch (FieldSelector.Unsupported unsupported) {
                json(exchange, 400, new JsonObject().add("kind", "Status").add("apiVersion", "v1").add("status", "Failure")
                        .add("message", unsupported.getMessage()).add("reason", "BadRequest").add("code", 400));
                return;
            }
            if ("1".equals(query.get("watch")) || "true".equals(query.get("watch"))) {
                watch(exchange, selection, query, sent);
            } else {
                list(exchange, selection, query, sent);
            }
        }
    }

    private synchronized Integer takeFailure(String path) {
        for (Map.Entry<String, AtomicInteger> entry : failures.entrySet()) {
            if (path.startsWith(entry.getKey()) && entry.getValue().getAndDecrement() > 0) {
                return failureStatus.get(entry.getKey());
            }
        }
        return null;
    }

    private void list(HttpExchange exchange, StubStore.Selection selection, Map<String, String> query, Traffic sent)
            throws IOException {
        Map.Entry<String, Runnable> expire = expireNextContinue;
        if (expire != null && query.containsKey("continue") && expire.getKey().equals(exchange.getRequestURI().getRawPath())) {
            expireNextContinue = null;
            expire.getValue().run();
            json(exchange, 410, new JsonObject().add("kind", "Status").add("apiVersion", "v1").add("status", "Failure")
                    .add("message", "The provided continue parameter is too old to display a consistent list result.")
                    .add("reason", "Expired").add("code", 410));
            return;
        }
        StubStore.Snapshot snapshot = store.list(selection);
        List<JsonObject> items = snapshot.items();
        int offset = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : Integer.MAX_VALUE;
        int end = (int) Math.min(items.size(), (long) offset + limit);
        JsonArray page = new JsonArray();
        items.subList(Math.min(offset, items.size()), end).forEach(page::add);
        JsonObject metadata = new JsonObject().add("resourceVersion", String.valueOf(snapshot.resourceVersion()));
        if (end < items.size()) {
            metadata.add("continue", String.valueOf(end));
        }
        sent.add(json(exchange, 200, new JsonObject().add("kind", selection.kind().equals("pods") ? "PodList" : "NodeList")
                .add("apiVersion", "v1").add("metadata", metadata).add("items", page)), 0);
    }

    private void watch(HttpExchange exchange, StubStore.Selection selection, Map<String, String> query, Traffic sent)
            throws IOException {
        long from = Long.parseLong(query.getOrDefault("resourceVersion", "0"));
        long timeoutMillis = Long.parseLong(query.getOrDefault("timeoutSeconds", "300")) * 1000;
        if (!store.watchable(from)) {
            status(exchange, 410, "too old resource version: " + from + " (" + store.oldestWatchable() + ")");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.flush(); // the headers now, as the API server sends them, before any event
        if (truncateNextWatch) {
            truncateNextWatch = false;
            out.write("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"half".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        if (errorGoneOnNextWatch) {
            errorGoneOnNextWatch = false;
            StubWatch.line(out, new JsonObject().add("type", "ERROR").add("object", new JsonObject().add("kind", "Status")
                    .add("code", 410).add("reason", "Expired").add("message", "too old resource version")).toString());
            return;
        }
        new StubWatch(store, selection, query.getOrDefault("fieldSelector", ""),
                "true".equals(query.get("allowWatchBookmarks")), sent).stream(out, from, timeoutMillis, () -> hangWatches);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static void json(HttpExchange exchange, JsonObject body) throws IOException {
        json(exchange, 200, body);
    }

    private static void status(HttpExchange exchange, int code, String message) throws IOException {
        json(exchange, code, new JsonObject().add("kind", "Status").add("apiVersion", "v1").add("status", "Failure")
                .add("message", message).add("code", code));
    }

    /** Sends {@code body}; returns its size in bytes. */
    private static int json(HttpExchange exchange, int code, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        return bytes.length;
    }

    /** Stops serving at once: connections are cut, as when an API server goes away. */
    @Override
    public void close() {
        StatusChurn running = churn;
        if (running != null) {
            running.stop();
        }
        store.wakeAll();
        server.stop(0);
    }
}
