package kubenurse.testing;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.Map;

/**
 * The two patch types the stub API server applies, as the real one does for the objects it holds: a JSON merge
 * patch (RFC 7386: objects merged, lists replaced, null removes) and a strategic merge patch, which differs only
 * in the lists that declare a merge key: their entries are merged by that key (core/v1 NodeStatus.conditions by
 * {@code type}). The stub knows the merge keys it is given, nothing of the API's Go struct tags.
 */
final class StubMerge {

    /** The merge keys of core/v1 NodeStatus the stub needs: {@code conditions} merge by {@code type}. */
    static final Map<String, String> NODE_STATUS_KEYS = Map.of("conditions", "type");

    private StubMerge() {
    }

    /** {@code target} with {@code patch} merged in as RFC 7386 says; neither is changed. */
    static JsonObject mergePatch(JsonObject target, JsonObject patch) {
        return merge(target, patch, Map.of());
    }

    /** {@code target} with {@code patch} merged in; lists named in {@code mergeKeys} merge entry by entry. */
    static JsonObject strategicMerge(JsonObject target, JsonObject patch, Map<String, String> mergeKeys) {
        return merge(target, patch, mergeKeys);
    }

    private static JsonObject merge(JsonObject target, JsonObject patch, Map<String, String> mergeKeys) {
        JsonObject merged = new JsonObject(target);
        for (JsonObject.Member member : patch) {
            String name = member.getName();
            JsonValue value = member.getValue();
            JsonValue current = merged.get(name);
            if (value.isNull()) {
                merged.remove(name);
            } else if (value.isObject() && current != null && current.isObject()) {
                merged.set(name, merge(current.asObject(), value.asObject(), mergeKeys));
            } else if (value.isArray() && mergeKeys.containsKey(name) && current != null && current.isArray()) {
                merged.set(name, mergeByKey(current.asArray(), value.asArray(), mergeKeys.get(name), mergeKeys));
            } else {
                merged.set(name, value.isObject() ? merge(new JsonObject(), value.asObject(), mergeKeys) : value);
            }
        }
        return merged;
    }

    /** Entries of {@code patch} replace-merge the entry of {@code current} with the same key, or are appended. */
    private static JsonArray mergeByKey(JsonArray current, JsonArray patch, String key, Map<String, String> mergeKeys) {
        JsonArray merged = new JsonArray();
        current.forEach(merged::add);
        for (JsonValue entry : patch) {
            String wanted = entry.isObject() ? entry.asObject().getString(key, null) : null;
            int at = -1;
            for (int i = 0; i < merged.size() && wanted != null; i++) {
                if (merged.get(i).isObject() && wanted.equals(merged.get(i).asObject().getString(key, null))) {
                    at = i;
                }
            }
            if (at >= 0) {
                merged.set(at, merge(merged.get(at).asObject(), entry.asObject(), mergeKeys));
            } else {
                merged.add(entry);
            }
        }
        return merged;
    }
}
