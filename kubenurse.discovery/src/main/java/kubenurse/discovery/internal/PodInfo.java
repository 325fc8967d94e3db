package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/**
 * The fields of a Pod kubenurse uses; the rest of the object is dropped as soon as it is read. Fields of an
 * unexpected type read as "" or false ({@link Lenient}).
 *
 * @param ready the Ready condition (what the kubelet concludes from /ready); true when the pod reports
 *              no Ready condition at all, as nothing then says otherwise
 */
record PodInfo(String namespace, String name, String nodeName, String podIp, String hostIp, String phase,
        boolean deleting, boolean ready) {

    /** namespace/name; "" when the pod has no usable name, so that it is skipped. */
    String key() {
        return name.isEmpty() ? "" : namespace + "/" + name;
    }

    static PodInfo of(JsonObject pod) {
        JsonObject metadata = Lenient.object(pod, "metadata");
        JsonObject spec = Lenient.object(pod, "spec");
        JsonObject status = Lenient.object(pod, "status");
        JsonValue deletion = metadata.get("deletionTimestamp");
        boolean ready = true;
        JsonValue conditions = status.get("conditions");
        if (conditions != null && conditions.isArray()) {
            for (JsonValue condition : conditions.asArray()) {
                if (condition.isObject() && "Ready".equals(Lenient.text(condition.asObject(), "type"))) {
                    ready = Lenient.bool(condition.asObject(), "status");
                }
            }
        }
        return new PodInfo(
                Lenient.text(metadata, "namespace"),
                Lenient.text(metadata, "name"),
                Lenient.text(spec, "nodeName"),
                Lenient.text(status, "podIP"),
                Lenient.text(status, "hostIP"),
                Lenient.text(status, "phase"),
                deletion != null && !deletion.isNull(),
                ready);
    }
}
