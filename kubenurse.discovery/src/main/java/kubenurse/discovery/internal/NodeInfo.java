package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/**
 * The fields of a Node kubenurse uses: its name and whether it is cordoned (spec.unschedulable, or the
 * node.kubernetes.io/unschedulable:NoSchedule taint). A node carries kilobytes of status (images,
 * conditions); none of it is kept.
 */
record NodeInfo(String name, boolean unschedulable) {

    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    String key() {
        return name;
    }

    static NodeInfo of(JsonObject node) {
        JsonObject spec = PodInfo.object(node, "spec");
        boolean cordoned = spec.getBoolean("unschedulable", false);
        JsonValue taints = spec.get("taints");
        if (taints != null && taints.isArray()) {
            for (JsonValue taint : taints.asArray()) {
                if (taint.isObject() && UNSCHEDULABLE_TAINT.equals(taint.asObject().getString("key", null))
                        && "NoSchedule".equals(taint.asObject().getString("effect", null))) {
                    cordoned = true;
                }
            }
        }
        return new NodeInfo(PodInfo.object(node, "metadata").getString("name", ""), cordoned);
    }
}
