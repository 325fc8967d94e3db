package kubenurse.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.UnaryOperator;

/**
 * The stub API server's objects and their history: every change gets the next resourceVersion and an event
 * that watches replay. Its monitor is what watches wait on; every change notifies them. Each event keeps the
 * object as it was before, so that a watch with a selector sees what a real one sees: DELETED when an object
 * stops matching, ADDED when it starts. The history may be bounded (as etcd compacts it), which status churn
 * needs: older resourceVersions are then gone.
 */
final class StubStore {

    /** One change, as a watch sends it. */
    record Event(long resourceVersion, String kind, String type, JsonObject object, JsonObject previous) {
    }

    /** What one watch selects: kind, namespace (null for all), label and field selector. */
    record Selection(String kind, String namespace, String labelSelector, FieldSelector fields) {
        boolean matches(JsonObject object) {
            return StubStore.matches(object, namespace, labelSelector) && fields.matches(object);
        }
    }

    /** What a list returns: the matching objects and the resourceVersion they are current at. */
    record Snapshot(List<JsonObject> items, long resourceVersion) {
    }

    private final Map<String, JsonObject> pods = new TreeMap<>();
    private final Map<String, JsonObject> nodes = new TreeMap<>();
    /** core/v1 Events by namespace/name, as kubenurse writes them about nodes. */
    private final Map<String, JsonObject> events = new TreeMap<>();
    private final List<Event> history = new ArrayList<>();
    private final Set<StubWatch> openWatches = new CopyOnWriteArraySet<>();
    private long resourceVersion = 100;
    private long oldestWatchable = 0;
    private long compactions;
    private int historyLimit = Integer.MAX_VALUE;

    synchronized void put(String kind, String key, JsonObject object) {
        Map<String, JsonObject> store = objects(kind);
        JsonObject previous = store.get(key);
        object.get("metadata").asObject().set("resourceVersion", String.valueOf(++resourceVersion));
        store.put(key, object);
        record(new Event(resourceVersion, kind, previous != null ? "MODIFIED" : "ADDED", object, previous));
    }

    synchronized void remove(String kind, String key) {
        JsonObject object = objects(kind).remove(key);
        if (object != null) {
            JsonObject copy = Json.parse(object.toString()).asObject();
            copy.get("metadata").asObject().set("resourceVersion", String.valueOf(++resourceVersion));
            record(new Event(resourceVersion, kind, "DELETED", copy, object));
        }
    }

    /** The object stored under {@code key}, or null; not to be changed (put a new one instead). */
    synchronized JsonObject get(String kind, String key) {
        return objects(kind).get(key);
    }

    /** Keeps only the latest {@code count} events from now on, as etcd compacts; older versions are gone. */
    synchronized void limitHistory(int count) {
        historyLimit = count;
    }

    private void record(Event event) {
        history.add(event);
        if (history.size() > historyLimit + (long) historyLimit / 4) {
            // trimmed in chunks, so that each change costs O(1) on average
            List<Event> dropped = history.subList(0, history.size() - historyLimit);
            oldestWatchable = dropped.get(dropped.size() - 1).resourceVersion();
            dropped.clear();
        }
        notifyAll();
    }

    /** Forgets all history: resuming from an older resourceVersion gets 410 Gone; open watches end. */
    synchronized void compact() {
        oldestWatchable = ++resourceVersion;
        history.clear();
        compactions++;
        notifyAll();
    }

    synchronized long compactions() {
        return compactions;
    }

    synchronized boolean watchable(long from) {
        return from >= oldestWatchable;
    }

    synchronized long oldestWatchable() {
        return oldestWatchable;
    }

    synchronized long resourceVersion() {
        return resourceVersion;
    }

    synchronized Snapshot list(Selection selection) {
        List<JsonObject> items = new ArrayList<>();
        for (JsonObject object : objects(selection.kind()).values()) {
            if (selection.matches(object)) {
                items.add(object);
            }
        }
        return new Snapshot(items, resourceVersion);
    }

    /**
     * The events after {@code after} as a watch of {@code selection} sees them: an object that starts to match
     * is ADDED, one that stops matching is DELETED (its last matching state with the new resourceVersion),
     * changes outside the selection are not sent.
     */
    synchronized List<Event> eventsAfter(long after, Selection selection) {
        List<Event> next = new ArrayList<>();
        for (int i = firstAfter(after); i < history.size(); i++) {
            Event event = history.get(i);
            if (!event.kind().equals(selection.kind())) {
                continue;
            }
            boolean was = event.previous() != null && selection.matches(event.previous());
            boolean is = !event.type().equals("DELETED") && selection.matches(event.object());
            if (event.type().equals("DELETED")) {
                if (was) {
                    next.add(event);
                }
            } else if (is) {
                next.add(was ? event : new Event(event.resourceVersion(), event.kind(), "ADDED", event.object(), null));
            } else if (was) {
                JsonObject gone = new JsonObject(event.previous());
                gone.set("metadata", new JsonObject(event.previous().get("metadata").asObject())
                        .set("resourceVersion", String.valueOf(event.resourceVersion())));
                next.add(new Event(event.resourceVersion(), event.kind(), "DELETED", gone, event.previous()));
            }
        }
        return next;
    }

    /** The index of the first event with a resourceVersion above {@code after} (they are in order). */
    private int firstAfter(long after) {
        int low = 0;
        int high = history.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (history.get(middle).resourceVersion() <= after) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    synchronized long meanJsonBytes(String kind, UnaryOperator<JsonObject> part) {
        Map<String, JsonObject> store = objects(kind);
        return store.isEmpty() ? 0
                : store.values().stream().mapToLong(o -> part.apply(o).toString().length()).sum() / store.size();
    }

    void opened(StubWatch watch) {
        openWatches.add(watch);
    }

    void closed(StubWatch watch) {
        openWatches.remove(watch);
    }

    /**
     * Queues {@code line} on every open watch of {@code kind} whose fieldSelector is {@code fieldSelector}
     * (any, when null); returns how many there were.
     */
    synchronized int injectLine(String kind, String fieldSelector, String line) {
        int count = 0;
        for (StubWatch watch : openWatches) {
            if (watch.kind().equals(kind) && (fieldSelector == null || fieldSelector.equals(watch.fieldSelector()))) {
                watch.queue(line);
                count++;
            }
        }
        notifyAll();
        return count;
    }

    /** Queues a bookmark on every open watch; returns how many watches were open (bookmarks or not). */
    synchronized int bookmarkAll() {
        openWatches.forEach(StubWatch::queueBookmark);
        notifyAll();
        return openWatches.size();
    }

    /** Silences every open watch of {@code kind} for the rest of its life; returns how many there were. */
    synchronized int silence(String kind) {
        int count = 0;
        for (StubWatch watch : openWatches) {
            if (watch.kind().equals(kind)) {
                watch.silence();
                count++;
            }
        }
        return count;
    }

    /** Wakes the waiting watches, e.g. to let them see that the server closes. */
    synchronized void wakeAll() {
        notifyAll();
    }

    private Map<String, JsonObject> objects(String kind) {
        return switch (kind) {
            case "pods" -> pods;
            case "nodes" -> nodes;
            case "events" -> events;
            default -> throw new IllegalArgumentException("the stub holds pods, nodes and events, not " + kind);
        };
    }

    private static boolean matches(JsonObject object, String namespace, String selector) {
        JsonObject metadata = object.get("metadata").asObject();
        if (namespace != null && !namespace.equals(metadata.getString("namespace", ""))) {
            return false;
        }
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        JsonObject labels = metadata.get("labels") != null ? metadata.get("labels").asObject() : new JsonObject();
        for (String requirement : selector.split(",")) {
            String[] kv = requirement.split("==?", 2);
            if (kv.length != 2 || !kv[1].trim().equals(labels.getString(kv[0].trim(), null))) {
                return false;
            }
        }
        return true;
    }
}
