package kubenurse.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The writes and single reads kubenurse makes, answered as the real API server does: an Event created (its
 * namespace checked as the API server's validation does) and patched, a Node read by name, a Node's status
 * patched (a strategic merge patch merges conditions by type, a JSON merge patch replaces them). Everything
 * else is for {@link StubHandler}.
 */
final class StubWrites {

    private static final Pattern EVENTS = Pattern.compile("/api/v1/namespaces/([^/]+)/events");
    private static final Pattern EVENT = Pattern.compile("/api/v1/namespaces/([^/]+)/events/([^/]+)");
    private static final Pattern NODE = Pattern.compile("/api/v1/nodes/([^/]+)");
    private static final Pattern NODE_STATUS = Pattern.compile("/api/v1/nodes/([^/]+)/status");
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String MERGE = "application/merge-patch+json";

    private final StubStore store;

    StubWrites(StubStore store) {
        this.store = store;
    }

    /** Answers {@code exchange} if it is one of the requests above; false if it is not. */
    boolean handle(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        Matcher matched;
        if (method.equals("POST") && (matched = EVENTS.matcher(path)).matches()) {
            createEvent(exchange, matched.group(1));
        } else if (method.equals("PATCH") && (matched = EVENT.matcher(path)).matches()) {
            patchEvent(exchange, matched.group(1), matched.group(2));
        } else if (method.equals("GET") && (matched = NODE.matcher(path)).matches()) {
            JsonObject node = store.get("nodes", matched.group(1));
            if (node == null) {
                failure(exchange, 404, "NotFound", "nodes \"" + matched.group(1) + "\" not found");
            } else {
                StubHandler.json(exchange, 200, node);
            }
        } else if (method.equals("PATCH") && (matched = NODE_STATUS.matcher(path)).matches()) {
            patchNodeStatus(exchange, matched.group(1));
        } else {
            return false;
        }
        return true;
    }

    private void createEvent(HttpExchange exchange, String namespace) throws IOException {
        JsonObject event = body(exchange);
        if (event == null) {
            return;
        }
        JsonObject metadata = event.get("metadata") != null && event.get("metadata").isObject()
                ? new JsonObject(event.get("metadata").asObject()) : new JsonObject();
        String name = metadata.getString("name", "");
        String given = metadata.getString("namespace", namespace);
        if (!given.equals(namespace)) {
            failure(exchange, 400, "BadRequest", "the namespace of the provided object does not match the namespace"
                    + " sent on the request");
            return;
        }
        JsonValue involved = event.get("involvedObject");
        String involvedNamespace = involved != null && involved.isObject()
                ? involved.asObject().getString("namespace", "") : "";
        // core/v1 validation of an Event without eventTime: a cluster-scoped object's Events live in "default"
        boolean namespaceValid = involvedNamespace.isEmpty() ? namespace.equals("default") : namespace.equals(involvedNamespace);
        if (name.isEmpty() || !namespaceValid) {
            failure(exchange, 422, "Invalid", "Event \"" + name + "\" is invalid: " + (name.isEmpty()
                    ? "metadata.name: Required value" : "involvedObject.namespace: does not match event.namespace"));
            return;
        }
        metadata.set("namespace", namespace);
        JsonObject stored = new JsonObject(event).set("metadata", metadata);
        synchronized (store) {
            if (store.get("events", namespace + "/" + name) != null) {
                failure(exchange, 409, "AlreadyExists", "events \"" + name + "\" already exists");
                return;
            }
            store.put("events", namespace + "/" + name, stored);
        }
        StubHandler.json(exchange, 201, stored);
    }

    private void patchEvent(HttpExchange exchange, String namespace, String name) throws IOException {
        String type = contentType(exchange);
        if (!type.equals(STRATEGIC) && !type.equals(MERGE)) {
            failure(exchange, 415, "UnsupportedMediaType", "the stub patches Events only with " + STRATEGIC + " or " + MERGE);
            return;
        }
        JsonObject patch = body(exchange);
        if (patch == null) {
            return;
        }
        JsonObject patched;
        synchronized (store) {
            JsonObject event = store.get("events", namespace + "/" + name);
            if (event == null) {
                failure(exchange, 404, "NotFound", "events \"" + name + "\" not found");
                return;
            }
            // an Event has no list with a merge key: both patch types merge it alike
            patched = StubMerge.mergePatch(event, patch).set("metadata", new JsonObject(event.get("metadata").asObject()));
            store.put("events", namespace + "/" + name, patched);
        }
        StubHandler.json(exchange, 200, patched);
    }

    private void patchNodeStatus(HttpExchange exchange, String name) throws IOException {
        String type = contentType(exchange);
        if (!type.equals(STRATEGIC) && !type.equals(MERGE)) {
            failure(exchange, 415, "UnsupportedMediaType", "the stub patches node status only with " + STRATEGIC
                    + " or " + MERGE);
            return;
        }
        JsonObject patch = body(exchange);
        if (patch == null) {
            return;
        }
        JsonValue statusPatch = patch.get("status");
        JsonObject patched;
        synchronized (store) {
            JsonObject node = store.get("nodes", name);
            if (node == null) {
                failure(exchange, 404, "NotFound", "nodes \"" + name + "\" not found");
                return;
            }
            JsonObject status = node.get("status").asObject();
            if (statusPatch != null && statusPatch.isObject()) {
                // the status subresource applies only the status part of a patch
                status = type.equals(STRATEGIC)
                        ? StubMerge.strategicMerge(status, statusPatch.asObject(), StubMerge.NODE_STATUS_KEYS)
                        : StubMerge.mergePatch(status, statusPatch.asObject());
            }
            patched = new JsonObject(node).set("metadata", new JsonObject(node.get("metadata").asObject()))
                    .set("status", status);
            store.put("nodes", name, patched);
        }
        StubHandler.json(exchange, 200, patched);
    }

    private static String contentType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        return type == null ? "" : type.split(";")[0].strip();
    }

    /** The request body as a JSON object; null after answering 400 when it is not one. */
    private static JsonObject body(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            JsonValue value = Json.parse(text);
            if (value.isObject()) {
                return value.asObject();
            }
        } catch (ParseException notJson) {
            // answered below
        }
        failure(exchange, 400, "BadRequest", "the request body is not a JSON object");
        return null;
    }

    private static void failure(HttpExchange exchange, int code, String reason, String message) throws IOException {
        StubHandler.json(exchange, code, new JsonObject().add("kind", "Status").add("apiVersion", "v1")
                .add("status", "Failure").add("message", message).add("reason", reason).add("code", code));
    }
}
