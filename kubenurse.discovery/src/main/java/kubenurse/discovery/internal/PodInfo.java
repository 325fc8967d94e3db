package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/**
 * The fields of a Pod kubenurse uses; the rest of the object is dropped as soon as it is read.
 *
 * @param ready the Ready condition (what the kubelet concludes from /ready); true when the pod reports
 *              no Ready condition at all, as nothing then says otherwise
 */
record PodInfo(String namespace, String name, String nodeName, String podIp, String hostIp, String phase,
        boolean deleting, boolean ready) {

    String key() {
        return namespace + "/" + name;
    }

    static PodInfo of(JsonObject pod) {
        JsonObject metadata = object(pod, "metadata");
        JsonObject spec = object(pod, "spec");
        JsonObject status = object(pod, "status");
        JsonValue deletion = metadata.get("deletionTimestamp");
        boolean ready = true;
        JsonValue conditions = status.get("conditions");
        if (conditions != null && conditions.isArray()) {
            for (JsonValue condition : conditions.asArray()) {
                if (condition.isObject() && "Ready".equals(condition.asObject().getString("type", null))) {
                    ready = "True".equals(condition.asObject().getString("status", null));
                }
            }
        }
        return new PodInfo(
                metadata.getString("namespace", ""),
                metadata.getString("name", ""),
                spec.getString("nodeName", ""),
                status.getString("podIP", ""),
                status.getString("hostIP", ""),
                status.getString("phase", ""),
                deletion != null && !deletion.isNull(),
                ready);
    }

    static JsonObject object(JsonObject parent, String name) {
        JsonValue value = parent.get(name);
        return value != null && value.isObject() ? value.asObject() : new JsonObject();
    }
}
