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

    /** The name; "" when the node has no usable name, so that it is skipped. */
    String key() {
        return name;
    }

    static NodeInfo of(JsonObject node) {
        JsonObject spec = Lenient.object(node, "spec");
        boolean cordoned = Lenient.bool(spec, "unschedulable");
        JsonValue taints = spec.get("taints");
        if (taints != null && taints.isArray()) {
            for (JsonValue taint : taints.asArray()) {
                if (taint.isObject() && UNSCHEDULABLE_TAINT.equals(Lenient.text(taint.asObject(), "key"))
                        && "NoSchedule".equals(Lenient.text(taint.asObject(), "effect"))) {
                    cordoned = true;
                }
            }
        }
        return new NodeInfo(Lenient.text(Lenient.object(node, "metadata"), "name"), cordoned);
    }
}
