package kubenurse.testing;

import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * One open watch of the stub API server: streams the store's events after its resourceVersion, one JSON line
 * each, plus the lines and bookmarks a test queues on it, until its timeoutSeconds, a compaction or the
 * server's end. Every byte and event it writes is counted in its {@link Traffic}.
 */
final class StubWatch {

    /** A queued line; a null line is a bookmark, whose resourceVersion is known only when it is sent. */
    private record Pending(String line) {
    }

    private final StubStore store;
    private final StubStore.Selection selection;
    private final String fieldSelector;
    private final boolean bookmarks;
    private final Traffic traffic;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean silenced;

    /** @param fieldSelector as the client wrote it ("" for none), to find this watch by */
    StubWatch(StubStore store, StubStore.Selection selection, String fieldSelector, boolean bookmarks, Traffic traffic) {
        this.store = store;
        this.selection = selection;
        this.fieldSelector = fieldSelector;
        this.bookmarks = bookmarks;
        this.traffic = traffic;
    }

    String kind() {
        return selection.kind();
    }

    String fieldSelector() {
        return fieldSelector;
    }

    void queue(String line) {
        pending.add(new Pending(line));
    }

    /** From now on this watch sends nothing at all, as over a connection that died without a FIN. */
    void silence() {
        silenced = true;
    }

    /** Only watches that asked with allowWatchBookmarks=true get bookmarks, as from a real API server. */
    void queueBookmark() {
        if (bookmarks) {
            pending.add(new Pending(null));
        }
    }

    /**
     * Streams until {@code timeoutMillis} have passed, the history is compacted, or {@code paused} holds
     * the watch silent while the deadline runs; a {@link #silence() silenced} watch only waits for its end.
     */
    void stream(OutputStream out, long from, long timeoutMillis, BooleanSupplier paused) throws IOException {
        store.opened(this);
        try {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            long sent = from;
            long compactionsAtStart = store.compactions();
            while (System.currentTimeMillis() < deadline) {
                List<StubStore.Event> next;
                long current;
                synchronized (store) {
                    if (store.compactions() != compactionsAtStart) {
                        return;
                    }
                    next = store.eventsAfter(sent, selection);
                    current = store.resourceVersion();
                    if ((next.isEmpty() && pending.isEmpty()) || paused.getAsBoolean() || silenced) {
                        try {
                            store.wait(Math.max(1, Math.min(200, deadline - System.currentTimeMillis())));
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                }
                for (StubStore.Event event : next) {
                    traffic.add(line(out, new JsonObject().add("type", event.type()).add("object", event.object())
                            .toString()), 1);
                    sent = event.resourceVersion();
                }
                // after the events: a bookmark then says "all up to here was sent", as it must
                for (Pending queued = pending.poll(); queued != null; queued = pending.poll()) {
                    traffic.add(line(out, queued.line() != null ? queued.line() : bookmark(Math.max(sent, current))), 1);
                }
            }
        } finally {
            store.closed(this);
        }
    }

    private String bookmark(long resourceVersion) {
        return new JsonObject().add("type", "BOOKMARK").add("object", new JsonObject()
                .add("kind", kind().equals("pods") ? "Pod" : "Node").add("apiVersion", "v1")
                .add("metadata", new JsonObject().add("resourceVersion", String.valueOf(resourceVersion))))
                .toString();
    }

    /** Writes one line; returns its size in bytes. */
    static int line(OutputStream out, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        return bytes.length;
    }
}
