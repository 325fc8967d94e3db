package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kubenurse.config.LogValue;

/**
 * Reads a Node by name ({@code GET /api/v1/nodes/<name>}): its uid, which an Event's involvedObject carries
 * so that the Event follows that very Node (kubectl describe matches it), kept per node name; and one of its
 * conditions. On the reports' writer thread only.
 */
final class NodeLookup {

    /**
     * Uids kept at most, the least recently used forgotten first: enough for every node an Event is about in a
     * large cluster, and bounded when nodes come and go (autoscaling) for months.
     */
    static final int MAX_UIDS = 1024;

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final ApiClient api;
    private final Duration timeout;
    private final Map<String, String> uids = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_UIDS;
        }
    };

    NodeLookup(ApiClient api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    /**
     * The node's uid, read once per name; empty when it cannot be read now (the Event is then written without
     * it, and the next Event about the node asks again).
     */
    Optional<String> uid(String node) throws InterruptedException {
        String known = uids.get(node);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            String uid = Lenient.text(Lenient.object(read(node), "metadata"), "uid");
            if (!uid.isEmpty()) {
                uids.put(node, uid);
                return Optional.of(uid);
            }
        } catch (IOException | ApiError unreadable) {
            LOG.log(Level.DEBUG, () -> "event=node_uid_unknown node=" + LogValue.quote(node) + " error="
                    + LogValue.quote(unreadable.getMessage()));
        }
        return Optional.empty();
    }

    /** The node's condition of {@code type} as stored now; empty when it has none. */
    Optional<JsonObject> condition(String node, String type) throws IOException, ApiError, InterruptedException {
        JsonValue conditions = Lenient.object(read(node), "status").get("conditions");
        if (conditions != null && conditions.isArray()) {
            for (JsonValue condition : conditions.asArray()) {
                if (condition.isObject() && type.equals(Lenient.text(condition.asObject(), "type"))) {
                    return Optional.of(condition.asObject());
                }
            }
        }
        return Optional.empty();
    }

    private JsonObject read(String node) throws IOException, ApiError, InterruptedException {
        String path = "/api/v1/nodes/" + node;
        ApiClient.Answer answer = api.exchange("GET", path, null, null, timeout);
        ApiError.checkSuccess(answer, "get " + path);
        try {
            JsonValue value = Json.parse(new JsonDepthLimit(new StringReader(answer.body())));
            return value.isObject() ? value.asObject() : new JsonObject();
        } catch (ParseException malformed) {
            throw new IOException("get " + path + ": not JSON: " + malformed.getMessage(), malformed);
        }
    }
}
