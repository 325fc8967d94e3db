package kubenurse.discovery;

import kubenurse.config.Config;

/**
 * What kubenurse tells Kubernetes about nodes: Events about a Node (its own, or a neighbour's whose path fails), and
 * the KubenurseNetworkProblem condition on its own Node. Every call returns at once: the writes happen on
 * discovery's threads, each with a timeout, never retried in a loop; a write the API refuses or that times out is
 * logged (once per kind a minute) and counted in {@link #failures(Kind)}. Closing it drops what is not written.
 */
public interface NodeReports extends AutoCloseable {

    /** The kinds of write, as the failure metric's label values. */
    enum Kind {
        EVENT("event"), NODE_CONDITION("node_condition");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** An Event's type. */
    enum EventType { NORMAL, WARNING }

    /**
     * Writes to the API server of {@code config} (which must not be in local mode) with the serviceaccount's
     * token: Events at most KUBENURSE_EVENTS_PER_MINUTE, the node condition only with KUBENURSE_NODE_CONDITION=true.
     */
    static NodeReports start(Config config) {
        return kubenurse.discovery.internal.ApiNodeReports.start(config);
    }

    /** Reports nothing: local mode. */
    static NodeReports none() {
        return kubenurse.discovery.internal.ApiNodeReports.NONE;
    }

    /**
     * An Event about Node {@code node} (involvedObject kind Node, name and uid of that node) with {@code reason}
     * and {@code message}, in namespace "default" (where the API server accepts Events about cluster-scoped
     * objects, beside the kubelet's). A repeat of the same (node, type, reason) within 10 minutes of its last
     * write updates that Event's count, last time and message, as the kubelet's recorder does, rather than making
     * a new one; beyond the cap a minute (every write counts), Events are dropped (counted as failures of kind
     * EVENT, logged once a minute). Nothing is written when the cap is 0.
     *
     * @param node    a node name (DNS subdomain)
     * @param reason  UpperCamelCase, at most 128 characters
     * @param message cut to 1024 characters
     * @throws IllegalArgumentException for a bad argument, naming it: a bug in the caller
     */
    void nodeEvent(String node, EventType type, String reason, String message);

    /**
     * Sets our own Node's condition type KubenurseNetworkProblem (status True when {@code problem}, reason, message),
     * merged by type with the node's other conditions; nothing when KUBENURSE_NODE_CONDITION is false. Only a
     * change is written (and the last state again after a failed write, at the next call); its lastTransitionTime
     * changes only with its status.
     *
     * @throws IllegalArgumentException for a bad reason or a null message, naming it
     */
    void ownNodeCondition(boolean problem, String reason, String message);

    /** Writes of {@code kind} that failed or were dropped since start. */
    long failures(Kind kind);

    /** Stops writing; pending writes are dropped. */
    @Override
    void close();
}
