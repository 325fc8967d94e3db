package kubenurse.discovery.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kubenurse.config.Config;
import kubenurse.config.LogValue;
import kubenurse.discovery.NodeReports;

/**
 * The node reports of a cluster: each call checks its arguments, takes its place under the Event cap, and queues
 * the write ({@link ReportQueue}); the queue's thread writes Events ({@link EventWriter}) and our own Node's
 * condition ({@link NodeConditionWriter}) with a timeout each, and counts and logs what fails
 * ({@link ReportFailures}). No call waits for the API server.
 */
public final class ApiNodeReports implements NodeReports {

    /** Reports nothing: local mode. */
    public static final NodeReports NONE = new NoNodeReports();

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    /** A write that may fail as a request to the API server does. */
    private interface Write {
        void run() throws ApiError, IOException, InterruptedException;
    }

    private final int eventsPerMinute;
    private final boolean nodeConditionWanted;
    private final Optional<String> ownNode;
    private final ApiClient api;
    private final ExecutorService httpThreads;
    private final ReportQueue queue;
    private final RateWindow eventCap;
    private final ReportFailures failures = new ReportFailures(System::nanoTime);
    private final EventWriter events;
    /** Null when KUBENURSE_NODE_CONDITION is false. */
    private final NodeConditionWriter condition;

    private ApiNodeReports(Config config, ApiClient api, ExecutorService httpThreads, ReportSettings settings) {
        this.eventsPerMinute = config.verdicts().eventsPerMinute();
        this.nodeConditionWanted = config.verdicts().nodeCondition();
        this.ownNode = config.identity().nodeName();
        this.api = api;
        this.httpThreads = httpThreads;
        this.queue = ReportQueue.start(settings.queueCapacity(), "kubenurse-node-reports");
        this.eventCap = new RateWindow(eventsPerMinute, Duration.ofMinutes(1), System::nanoTime);
        NodeLookup nodes = new NodeLookup(api, settings.requestTimeout());
        this.events = new EventWriter(api, nodes, settings, config.identity().podName(), ownNode);
        this.condition = nodeConditionWanted && ownNode.isPresent()
                ? new NodeConditionWriter(api, nodes, settings, ownNode.get()) : null;
    }

    /** Writes to the API server of {@code config}, which must not be in local mode. */
    public static NodeReports start(Config config) {
        return start(config, ReportSettings.DEFAULT);
    }

    static ApiNodeReports start(Config config, ReportSettings settings) {
        ExecutorService httpThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-node-reports-http-", 0).factory());
        ApiClient api;
        try {
            api = ApiClient.of(config, httpThreads);
        } catch (IllegalStateException unusable) {
            httpThreads.shutdownNow();
            throw unusable;
        }
        ApiNodeReports reports = new ApiNodeReports(config, api, httpThreads, settings);
        LOG.log(Level.INFO, "event=node_reports_started events_per_minute=" + reports.eventsPerMinute
                + " events_namespace=" + EventWriter.NAMESPACE + " node_condition=" + config.verdicts().nodeCondition()
                + " own_node=" + LogValue.quote(reports.ownNode.orElse("")));
        if (config.verdicts().nodeCondition() && reports.ownNode.isEmpty()) {
            LOG.log(Level.WARNING, "event=node_condition_off reason=\"KUBENURSE_NODE_NAME is not set: our own node is"
                    + " not known\" action=\"every condition write counts as failed\"");
        }
        return reports;
    }

    @Override
    public void nodeEvent(String node, EventType type, String reason, String message) {
        EventWriter.NodeEvent event = new EventWriter.NodeEvent(ReportArguments.node(node),
                ReportArguments.required(type, "event type"), ReportArguments.reason(reason), ReportArguments.message(message));
        if (eventsPerMinute == 0 || queue.closed()) {
            return; // KUBENURSE_EVENTS_PER_MINUTE=0 asks for no Events, and a closed writer writes none: none is missing
        }
        String what = "node=" + LogValue.quote(node) + " reason=" + reason;
        if (!eventCap.tryAcquire()) {
            failures.failed(Kind.EVENT, what + " dropped=rate_limit events_per_minute=" + eventsPerMinute);
        } else if (!queue.offer(() -> run(Kind.EVENT, what, () -> events.write(event)))) {
            failures.failed(Kind.EVENT, what + " dropped=queue_full");
        }
    }

    @Override
    public void ownNodeCondition(boolean problem, String reason, String message) {
        NodeConditionWriter.Wanted wanted = new NodeConditionWriter.Wanted(problem, ReportArguments.reason(reason),
                ReportArguments.message(message));
        if (condition == null || queue.closed()) {
            if (nodeConditionWanted && condition == null) {
                failures.failed(Kind.NODE_CONDITION, "dropped=own_node_unknown error=\"KUBENURSE_NODE_NAME is not set\"");
            }
            return;
        }
        String what = "node=" + LogValue.quote(ownNode.orElse("")) + " type=" + NodeConditionWriter.TYPE
                + " status=" + wanted.status() + " reason=" + reason;
        if (condition.want(wanted) && !queue.offer(() -> run(Kind.NODE_CONDITION, what, condition::write))) {
            condition.dropped();
            failures.failed(Kind.NODE_CONDITION, what + " dropped=queue_full");
        }
    }

    @Override
    public long failures(Kind kind) {
        return failures.count(ReportArguments.required(kind, "kind"));
    }

    /** Runs one write on the queue's thread; what fails is counted and logged, never retried here. */
    private void run(Kind kind, String what, Write write) {
        try {
            write.run();
        } catch (ApiError refused) {
            failures.failed(kind, what + " status=" + refused.status() + " error=" + LogValue.quote(refused.getMessage()));
        } catch (HttpTimeoutException slow) {
            failures.failed(kind, what + " status=timeout error=" + LogValue.quote(slow.getMessage()));
        } catch (IOException broken) {
            failures.failed(kind, what + " status=io_error error=" + LogValue.quote(String.valueOf(broken)));
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt(); // closed: the write is dropped with the others
        }
    }

    /** Stops the writer thread; what waits is dropped, a write in progress cut. */
    @Override
    public void close() {
        queue.close();
        api.close();
        httpThreads.shutdownNow();
    }

    /** True once the writer thread has ended. */
    boolean stopped() {
        return queue.stopped();
    }
}
