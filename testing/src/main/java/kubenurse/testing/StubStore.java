package kubenurse.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The stub API server's objects and their history: every change gets the next resourceVersion and an event
 * that watches replay. Its monitor is what watches wait on; every change notifies them.
 */
final class StubStore {

    /** One change, as a watch sends it. */
    record Event(long resourceVersion, String kind, String type, JsonObject object) {
    }

    /** What a list returns: the matching objects and the resourceVersion they are current at. */
    record Snapshot(List<JsonObject> items, long resourceVersion) {
    }

    private final Map<String, JsonObject> pods = new TreeMap<>();
    private final Map<String, JsonObject> nodes = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Set<StubWatch> openWatches = new CopyOnWriteArraySet<>();
    private long resourceVersion = 100;
    private long oldestWatchable = 0;
    private long compactions;

    synchronized void put(String kind, String key, JsonObject object) {
        Map<String, JsonObject> store = objects(kind);
        String type = store.containsKey(key) ? "MODIFIED" : "ADDED";
        object.get("metadata").asObject().set("resourceVersion", String.valueOf(++resourceVersion));
        store.put(key, object);
        events.add(new Event(resourceVersion, kind, type, object));
        notifyAll();
    }

    synchronized void remove(String kind, String key) {
        JsonObject object = objects(kind).remove(key);
        if (object != null) {
            JsonObject copy = Json.parse(object.toString()).asObject();
            copy.get("metadata").asObject().set("resourceVersion", String.valueOf(++resourceVersion));
            events.add(new Event(resourceVersion, kind, "DELETED", copy));
            notifyAll();
        }
    }

    /** Forgets all history: resuming from an older resourceVersion gets 410 Gone; open watches end. */
    synchronized void compact() {
        oldestWatchable = ++resourceVersion;
        events.clear();
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

    synchronized Snapshot list(String kind, String namespace, String selector) {
        List<JsonObject> items = new ArrayList<>();
        for (JsonObject object : objects(kind).values()) {
            if (matches(object, namespace, selector)) {
                items.add(object);
            }
        }
        return new Snapshot(items, resourceVersion);
    }

    /** The events after {@code after} that a watch of this kind, namespace and selector sees. */
    synchronized List<Event> eventsAfter(long after, String kind, String namespace, String selector) {
        List<Event> next = new ArrayList<>();
        for (Event event : events) {
            if (event.resourceVersion() > after && event.kind().equals(kind)
                    && matches(event.object(), namespace, selector)) {
                next.add(event);
            }
        }
        return next;
    }

    synchronized long meanJsonBytes(String kind) {
        Map<String, JsonObject> store = objects(kind);
        return store.isEmpty() ? 0 : store.values().stream().mapToLong(o -> o.toString().length()).sum() / store.size();
    }

    void opened(StubWatch watch) {
        openWatches.add(watch);
    }

    void closed(StubWatch watch) {
        openWatches.remove(watch);
    }

    /** Queues {@code line} on every open watch of {@code kind}; returns how many there were. */
    synchronized int injectLine(String kind, String line) {
        int count = 0;
        for (StubWatch watch : openWatches) {
            if (watch.kind().equals(kind)) {
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
        return kind.equals("pods") ? pods : nodes;
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
