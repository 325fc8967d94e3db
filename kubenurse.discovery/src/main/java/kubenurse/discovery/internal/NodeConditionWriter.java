package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.config.LogValue;

/**
 * Keeps our own Node's {@value #TYPE} condition as last wanted, with a strategic merge patch of its status: core/v1
 * NodeStatus.conditions merge by type, so the kubelet's conditions stay as they are. Written only when what is
 * wanted changes, and again at the next call after a failed write (never retried on its own). lastTransitionTime
 * changes only with the status; after a restart it is taken over from the node when the status is the same.
 * {@link #want} is called by any thread, {@link #write} on the reports' writer thread.
 */
final class NodeConditionWriter {

    static final String TYPE = "KubenurseNetworkProblem";

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    /** What the callers want the condition to say. */
    record Wanted(boolean problem, String reason, String message) {
        String status() {
            return problem ? "True" : "False";
        }
    }

    private final ApiClient api;
    private final NodeLookup nodes;
    private final ReportSettings settings;
    private final String ownNode;
    private final AtomicReference<Wanted> wanted = new AtomicReference<>();
    /** A write is queued and has not started: more calls need not queue another. */
    private final AtomicBoolean queued = new AtomicBoolean();
    /** What the node carries since our last successful write; null before it. */
    private volatile Wanted written;
    private volatile boolean lastWriteFailed;
    /** The lastTransitionTime written with {@link #written}; writer thread only. */
    private Instant transition;

    NodeConditionWriter(ApiClient api, NodeLookup nodes, ReportSettings settings, String ownNode) {
        this.api = api;
        this.nodes = nodes;
        this.settings = settings;
        this.ownNode = ownNode;
    }

    /** Records what is wanted now; true when the caller is to queue a {@link #write} for it. */
    boolean want(Wanted next) {
        wanted.set(next);
        return (lastWriteFailed || !next.equals(written)) && queued.compareAndSet(false, true);
    }

    /** The queued write was dropped (the queue was full): the next call queues one again. */
    void dropped() {
        lastWriteFailed = true;
        queued.set(false);
    }

    /** Writes the latest wanted state, unless the node already carries it. */
    void write() throws ApiError, IOException, InterruptedException {
        queued.set(false); // from here on, a new wish queues a new write
        Wanted next = wanted.get();
        if (next == null || (next.equals(written) && !lastWriteFailed)) {
            return;
        }
        try {
            Instant now = settings.clock().instant();
            Instant since = transitionFor(next, now);
            JsonObject condition = new JsonObject().add("type", TYPE).add("status", next.status())
                    .add("reason", next.reason()).add("message", next.message())
                    .add("lastHeartbeatTime", EventWriter.timestamp(now))
                    .add("lastTransitionTime", EventWriter.timestamp(since));
            JsonObject patch = new JsonObject().add("status", new JsonObject().add("conditions", new JsonArray().add(condition)));
            String path = "/api/v1/nodes/" + ownNode + "/status";
            ApiError.checkSuccess(api.exchange("PATCH", path, EventWriter.STRATEGIC_MERGE, patch.toString(),
                    settings.requestTimeout()), "patch " + path);
            transition = since;
            written = next;
            lastWriteFailed = false;
        } catch (ApiError | IOException failed) {
            lastWriteFailed = true;
            throw failed;
        }
    }

    /**
     * The status's lastTransitionTime: kept while the status stays; now when it changes. Before our first write
     * (a restart), the node's own condition tells when its status last changed, if it has ours with this status.
     */
    private Instant transitionFor(Wanted next, Instant now) throws InterruptedException {
        Wanted before = written;
        if (before != null) {
            return before.problem() == next.problem() ? transition : now;
        }
        try {
            Optional<JsonObject> existing = nodes.condition(ownNode, TYPE);
            if (existing.isPresent() && next.status().equals(Lenient.text(existing.get(), "status"))) {
                return Instant.parse(Lenient.text(existing.get(), "lastTransitionTime"));
            }
        } catch (ApiError | IOException | DateTimeParseException unknown) {
            LOG.log(Level.DEBUG, () -> "event=node_condition_unread node=" + LogValue.quote(ownNode) + " error="
                    + LogValue.quote(unknown.getMessage()));
        }
        return now;
    }
}
