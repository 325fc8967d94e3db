package kubenurse.testing;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The nodes and pods a test puts into the stub API server, as kubelets and controllers write them (with the
 * padding a benchmark asks for: images, managedFields, annotations), and what the pod garbage collector does.
 */
final class StubObjects {

    private final StubStore store;
    private volatile int nodePaddingImages;
    private volatile int nodeManagedFieldsBytes;
    private volatile int podAnnotationBytes;

    StubObjects(StubStore store) {
        this.store = store;
    }

    void nodeImages(int count) {
        this.nodePaddingImages = count;
    }

    void nodeManagedFieldsBytes(int bytes) {
        this.nodeManagedFieldsBytes = bytes;
    }

    void podAnnotationBytes(int bytes) {
        this.podAnnotationBytes = bytes;
    }

    void putNode(String name, boolean unschedulable, boolean unschedulableTaint) {
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
        JsonObject metadata = new JsonObject().add("name", name).add("uid", nodeUid(name))
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
                .add("status", new JsonObject().add("conditions", StatusChurn.conditions(Instant.now()))
                        .add("images", images)
                        .add("nodeInfo", new JsonObject().add("kubeletVersion", "v1.31.0")));
        store.put("nodes", name, node);
    }

    /** Replaces the node's condition of the type of {@code condition}, or adds it; nothing if there is no such node. */
    void putNodeCondition(String name, JsonObject condition) {
        synchronized (store) {
            JsonObject node = store.get("nodes", name);
            if (node == null) {
                return;
            }
            JsonObject status = StubMerge.strategicMerge(node.get("status").asObject(),
                    new JsonObject().add("conditions", new JsonArray().add(condition)), StubMerge.NODE_STATUS_KEYS);
            store.put("nodes", name, new JsonObject(node).set("metadata", new JsonObject(node.get("metadata").asObject()))
                    .set("status", status));
        }
    }

    /** A node's uid: made from its name, so that a node put again keeps it, as a status update does. */
    static String nodeUid(String name) {
        return UUID.nameUUIDFromBytes(("node/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    void putPod(String namespace, String name, String nodeName, String podIp, String phase,
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

    /** Marks each pod bound to {@code node} Failed, then deletes it; returns how many there were. */
    int collectOrphanedPods(String node) {
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
}
