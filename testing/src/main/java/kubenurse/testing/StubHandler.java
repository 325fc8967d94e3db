package kubenurse.testing;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers one request to the stub API server as the real one would (a list page, a watch, /version, a Status
 * for an error; writes and reads by name through {@link StubWrites}), or with the fault the test asked for;
 * records it with what was sent.
 */
final class StubHandler {

    private final StubStore store;
    private final StubFaults faults;
    private final StubTraffic traffic;
    private final StubWrites writes;

    StubHandler(StubStore store, StubFaults faults, StubTraffic traffic) {
        this.store = store;
        this.faults = faults;
        this.traffic = traffic;
        this.writes = new StubWrites(store);
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Traffic sent = traffic.received(new StubApiServer.Request(exchange.getRequestMethod(),
                    path + (rawQuery != null ? "?" + rawQuery : ""), authorization));
            if (!faults.authorized(authorization)) {
                status(exchange, 401, "Unauthorized");
                return;
            }
            if (!faults.holdWhileHung(path)) {
                return; // the server closes: nothing is answered, as when it goes away
            }
            Integer failure = faults.takeFailure(path);
            if (failure != null) {
                status(exchange, failure, "injected failure");
                return;
            }
            if (writes.handle(exchange, path)) {
                return;
            }
            Map<String, String> query = query(rawQuery);
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
                json(exchange, 200, new JsonObject().add("major", "1").add("minor", "31").add("gitVersion", "v1.31.0-stub"));
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
                list(exchange, path, selection, query, sent);
            }
        }
    }

    private void list(HttpExchange exchange, String path, StubStore.Selection selection, Map<String, String> query,
            Traffic sent) throws IOException {
        Runnable meanwhile = query.containsKey("continue") ? faults.takeExpiredContinue(path) : null;
        if (meanwhile != null) {
            meanwhile.run();
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
        if (faults.takeTruncate()) {
            out.write("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"half".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        if (faults.takeErrorGone()) {
            StubWatch.line(out, new JsonObject().add("type", "ERROR").add("object", new JsonObject().add("kind", "Status")
                    .add("code", 410).add("reason", "Expired").add("message", "too old resource version")).toString());
            return;
        }
        new StubWatch(store, selection, query.getOrDefault("fieldSelector", ""),
                "true".equals(query.get("allowWatchBookmarks")), sent).stream(out, from, timeoutMillis, faults::watchesHang);
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

    private static void status(HttpExchange exchange, int code, String message) throws IOException {
        json(exchange, code, new JsonObject().add("kind", "Status").add("apiVersion", "v1").add("status", "Failure")
                .add("message", message).add("code", code));
    }

    /** Sends {@code body}; returns its size in bytes. */
    static int json(HttpExchange exchange, int code, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        return bytes.length;
    }
}
