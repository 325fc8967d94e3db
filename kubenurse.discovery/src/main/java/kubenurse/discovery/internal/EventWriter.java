package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kubenurse.discovery.NodeReports.EventType;

/**
 * Writes core/v1 Events about Nodes as the kubelet's recorder does: the first of a (node, type, reason) creates
 * an Event named {@code <node>.<hex nanoseconds>}; a repeat within the series window patches that Event's count,
 * last time and message instead of making another, so {@code kubectl describe node} shows one line "x5 over
 * 3m". On the reports' writer thread only.
 */
final class EventWriter {

    /**
     * Where Events about Nodes go. A Node has no namespace, and the API server's validation of a core/v1 Event
     * without eventTime accepts only "default" (or none, which a namespaced resource cannot have) when the
     * involved object has none; the kubelet's Node Events are there too, so kubectl describe node finds ours
     * beside them. Not the pod's namespace, which the API server would refuse.
     */
    static final String NAMESPACE = "default";
    static final String COMPONENT = "kubenurse";
    static final String EVENTS_PATH = "/api/v1/namespaces/" + NAMESPACE + "/events";
    static final String STRATEGIC_MERGE = "application/strategic-merge-patch+json";

    /** One Event about a node, as a caller asked for it (arguments checked). */
    record NodeEvent(String node, EventType type, String reason, String message) {
    }

    private record SeriesKey(String node, EventType type, String reason) {
    }

    /** The Event a series writes to, how often it was written and when last. */
    private record Series(String name, int count, Instant lastWritten) {
    }

    private final ApiClient api;
    private final NodeLookup nodes;
    private final ReportSettings settings;
    private final String podName;
    private final Optional<String> ownNode;
    private final Map<SeriesKey, Series> series = new HashMap<>();
    /** The last name's time part, so that two Events about a node made in one nanosecond still differ. */
    private long lastNameNanos;

    EventWriter(ApiClient api, NodeLookup nodes, ReportSettings settings, String podName, Optional<String> ownNode) {
        this.api = api;
        this.nodes = nodes;
        this.settings = settings;
        this.podName = podName;
        this.ownNode = ownNode;
    }

    void write(NodeEvent event) throws ApiError, IOException, InterruptedException {
        Instant now = settings.clock().instant();
        series.values().removeIf(s -> !now.isBefore(s.lastWritten().plus(settings.seriesWindow())));
        SeriesKey key = new SeriesKey(event.node(), event.type(), event.reason());
        Series repeat = series.get(key);
        if (repeat != null) {
            String path = EVENTS_PATH + "/" + repeat.name();
            JsonObject update = new JsonObject().add("count", repeat.count() + 1).add("lastTimestamp", timestamp(now))
                    .add("message", event.message());
            ApiClient.Answer answer = api.exchange("PATCH", path, STRATEGIC_MERGE, update.toString(), settings.requestTimeout());
            if (answer.status() != 404) {
                ApiError.checkSuccess(answer, "patch event " + repeat.name());
                series.put(key, new Series(repeat.name(), repeat.count() + 1, now));
                return;
            }
            // gone meanwhile (the API server keeps Events an hour by default, or someone deleted it): a new one
            series.remove(key);
        }
        String name = newName(event.node(), now);
        ApiClient.Answer answer = api.exchange("POST", EVENTS_PATH, "application/json", body(name, event, now).toString(),
                settings.requestTimeout());
        ApiError.checkSuccess(answer, "create event " + name);
        series.put(key, new Series(name, 1, now));
    }

    private JsonObject body(String name, NodeEvent event, Instant now) throws InterruptedException {
        JsonObject involved = new JsonObject().add("apiVersion", "v1").add("kind", "Node").add("name", event.node());
        nodes.uid(event.node()).ifPresent(uid -> involved.add("uid", uid));
        JsonObject source = new JsonObject().add("component", COMPONENT);
        ownNode.ifPresent(node -> source.add("host", node));
        return new JsonObject()
                .add("apiVersion", "v1").add("kind", "Event")
                .add("metadata", new JsonObject().add("name", name).add("namespace", NAMESPACE))
                .add("involvedObject", involved)
                .add("reason", event.reason())
                .add("message", event.message())
                .add("type", event.type() == EventType.WARNING ? "Warning" : "Normal")
                .add("source", source)
                .add("firstTimestamp", timestamp(now))
                .add("lastTimestamp", timestamp(now))
                .add("count", 1)
                .add("reportingComponent", COMPONENT)
                .add("reportingInstance", podName);
    }

    /**
     * {@code <node>.<hex nanoseconds>}, as the kubelet names its Events; the node part cut so that the name stays
     * a DNS subdomain of at most 253 characters.
     */
    String newName(String node, Instant now) {
        long nanos = Math.max(lastNameNanos + 1, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        lastNameNanos = nanos;
        String suffix = "." + Long.toHexString(nanos);
        String prefix = node.length() + suffix.length() <= ReportArguments.MAX_NODE_NAME ? node
                : node.substring(0, ReportArguments.MAX_NODE_NAME - suffix.length()).replaceAll("[-.]+$", "");
        return prefix + suffix;
    }

    /** A metav1.Time: RFC 3339 in UTC, whole seconds, as the API server writes it. */
    static String timestamp(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }
}
