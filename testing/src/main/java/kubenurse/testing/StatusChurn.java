package kubenurse.testing;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node status updates as kubelets make them: every node once per period, spread evenly over it, each a new
 * heartbeat time in the conditions of an otherwise unchanged node (the new object shares the old one's image
 * list, so the history of a busy cluster fits in memory). Open watches get a bookmark every minute.
 */
final class StatusChurn {

    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration BOOKMARKS = Duration.ofMinutes(1);
    private static final List<String> CONDITIONS = List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");

    private final StubStore store;
    private final Duration period;
    private final AtomicLong updates = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    private StatusChurn(StubStore store, Duration period) {
        this.store = store;
        this.period = period;
        this.thread = Thread.ofPlatform().daemon().name("stub-status-churn").unstarted(this::run);
    }

    static StatusChurn start(StubStore store, Duration period) {
        StatusChurn churn = new StatusChurn(store, period);
        churn.thread.start();
        return churn;
    }

    long updates() {
        return updates.get();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    /** The four conditions a kubelet reports, all with {@code heartbeat} as their last heartbeat. */
    static JsonArray conditions(Instant heartbeat) {
        JsonArray conditions = new JsonArray();
        for (String type : CONDITIONS) {
            boolean ready = type.equals("Ready");
            conditions.add(new JsonObject().add("type", type).add("status", ready ? "True" : "False")
                    .add("lastHeartbeatTime", heartbeat.toString()).add("lastTransitionTime", "2026-11-01T00:00:00Z")
                    .add("reason", ready ? "KubeletReady" : "KubeletHasSufficient" + type.replace("Pressure", ""))
                    .add("message", ready ? "kubelet is posting ready status" : "kubelet has no " + type));
        }
        return conditions;
    }

    private void run() {
        long start = System.nanoTime();
        long nextBookmarks = start + BOOKMARKS.toNanos();
        long ticks = 0;
        List<String> names = List.of();
        int position = 0;
        double due = 0;
        while (!stopped) {
            long now = System.nanoTime();
            if (position >= names.size()) {
                names = nodeNames();
                position = 0;
            }
            due += names.size() * (double) TICK.toNanos() / period.toNanos();
            Instant heartbeat = Instant.now();
            for (; due >= 1 && position < names.size(); due--, position++) {
                touch(names.get(position), heartbeat);
            }
            if (now >= nextBookmarks) {
                store.bookmarkAll();
                nextBookmarks += BOOKMARKS.toNanos();
            }
            ticks++;
            long sleep = start + ticks * TICK.toNanos() - System.nanoTime();
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, sleep)));
            } catch (InterruptedException stopping) {
                return;
            }
        }
    }

    private List<String> nodeNames() {
        synchronized (store) {
            return new ArrayList<>(store.list(new StubStore.Selection("nodes", null, null, FieldSelector.EVERYTHING))
                    .items().stream().map(n -> n.get("metadata").asObject().getString("name", "")).toList());
        }
    }

    private void touch(String name, Instant heartbeat) {
        synchronized (store) {
            JsonObject old = store.get("nodes", name);
            if (old == null) {
                return;
            }
            // new objects all the way down to what changes; the rest (images) is shared with the old version
            JsonObject status = new JsonObject(old.get("status").asObject()).set("conditions", conditions(heartbeat));
            JsonObject node = new JsonObject(old).set("metadata", new JsonObject(old.get("metadata").asObject()))
                    .set("status", status);
            store.put("nodes", name, node);
        }
        updates.incrementAndGet();
    }
}
