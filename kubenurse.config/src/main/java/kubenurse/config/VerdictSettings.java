package kubenurse.config;

/**
 * How a pod decides that its node has a network problem, and how it tells Kubernetes (docs/verdicts.md).
 *
 * @param quorumPercent   KUBENURSE_VERDICT_QUORUM_PERCENT: the share of expected checkers that must be silent, or of
 *                        checked neighbour paths that must fail, for a problem (1-100)
 * @param minPeers        KUBENURSE_VERDICT_MIN_PEERS: fewer expected checkers, or checked paths, than this never make a
 *                        problem: one silent checker or one failing neighbour is that neighbour's problem
 * @param windowIntervals KUBENURSE_VERDICT_WINDOW_INTERVALS: a checker is heard when it checked us within this many
 *                        check intervals
 * @param eventsPerMinute KUBENURSE_EVENTS_PER_MINUTE: at most this many Kubernetes Events written a minute, all kinds
 *                        together; 0 writes none
 * @param nodeCondition   KUBENURSE_NODE_CONDITION: set the KubenurseNetworkProblem condition on our own Node (needs
 *                        patch on nodes/status)
 */
public record VerdictSettings(int quorumPercent, int minPeers, int windowIntervals, int eventsPerMinute,
        boolean nodeCondition) {

    public static final int DEFAULT_QUORUM_PERCENT = 50;
    public static final int DEFAULT_MIN_PEERS = 2;
    public static final int DEFAULT_WINDOW_INTERVALS = 3;
    public static final int DEFAULT_EVENTS_PER_MINUTE = 20;
    public static final int MAX_MIN_PEERS = 1000;
    public static final int MAX_WINDOW_INTERVALS = 100;
    public static final int MAX_EVENTS_PER_MINUTE = 1000;

    public VerdictSettings {
        if (quorumPercent < 1 || quorumPercent > 100) {
            throw new IllegalArgumentException("verdict quorum not in 1-100 %: " + quorumPercent);
        }
        if (minPeers < 1 || minPeers > MAX_MIN_PEERS) {
            throw new IllegalArgumentException("verdict minimum peers not in 1-" + MAX_MIN_PEERS + ": " + minPeers);
        }
        if (windowIntervals < 1 || windowIntervals > MAX_WINDOW_INTERVALS) {
            throw new IllegalArgumentException("verdict window not in 1-" + MAX_WINDOW_INTERVALS + " intervals: "
                    + windowIntervals);
        }
        if (eventsPerMinute < 0 || eventsPerMinute > MAX_EVENTS_PER_MINUTE) {
            throw new IllegalArgumentException("events per minute not in 0-" + MAX_EVENTS_PER_MINUTE + ": " + eventsPerMinute);
        }
    }

    /** The defaults: half of at least two peers, heard within 3 intervals, 20 Events a minute, no node condition. */
    public static VerdictSettings defaults() {
        return new VerdictSettings(DEFAULT_QUORUM_PERCENT, DEFAULT_MIN_PEERS, DEFAULT_WINDOW_INTERVALS,
                DEFAULT_EVENTS_PER_MINUTE, false);
    }

    /** True when {@code count} of {@code of} peers reach the quorum, and {@code of} is at least {@link #minPeers()}. */
    public boolean quorum(int count, int of) {
        return of >= minPeers && of > 0 && count * 100L >= (long) quorumPercent * of;
    }
}
