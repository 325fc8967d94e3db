package kubenurse.checks.internal.verdict;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubenurse.checks.Verdict;
import kubenurse.checks.Verdict.State;
import kubenurse.config.VerdictSettings;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * The rules, judged once per scheduled cycle on a monotonic clock. Inbound problem: at least the quorum of the
 * expected checkers (and at least the minimum of them) silent within the window, at two judgements in a row. A
 * checker is expected once we have seen it eligible for a window (it has had time to find us and check), and we
 * judge inbound only after our own first window and a window after the pod list shows our pod Ready (before that
 * our checkers may not have found us, and nobody checks a pod not Ready or being deleted: pending).
 * Outbound problem: at least the quorum of our checked paths (and at least the minimum) failed their last two runs.
 * Not thread-safe: one caller, the schedule.
 */
final class VerdictJudge {

    /** Judgements in a row an inbound problem must hold before it is reported: one late check is no problem. */
    static final int INBOUND_JUDGEMENTS = 2;

    private final VerdictSettings settings;
    private final String ownNode;
    private final int limit;
    private final boolean allowUnschedulable;
    private final long windowNanos;
    private final long startedNanos;
    /** Since when the pod list shows our pod Ready (what makes the others check us); -1 while it does not. */
    private long ownReadySinceNanos = -1;
    private final Map<String, Long> firstSeenNanos = new HashMap<>();
    /** Ring positions by node name: a SHA-256 each, computed once per node rather than once per snapshot. */
    private final Map<String, Long> positions = new HashMap<>();
    private Neighbours judgedSnapshot;
    private List<Neighbour> ringCheckers = List.of();
    private int inboundInARow;

    /**
     * @param interval     the check interval; the window is {@code settings.windowIntervals()} of them
     * @param startedNanos when our schedule started (monotonic)
     */
    VerdictJudge(VerdictSettings settings, String ownNode, int limit, boolean allowUnschedulable, Duration interval,
            long startedNanos) {
        this.settings = settings;
        this.ownNode = ownNode;
        this.limit = limit;
        this.allowUnschedulable = allowUnschedulable;
        this.windowNanos = interval.toNanos() * settings.windowIntervals();
        this.startedNanos = startedNanos;
    }

    /** The window within which a checker must have checked us. */
    Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /**
     * @param now          monotonic nanoseconds
     * @param snapshot     discovery's snapshot of this cycle
     * @param heard        pod names that checked us within the window
     * @param checkedPaths how many neighbour paths we check
     * @param failingPaths node names of those that failed their last two runs
     */
    Verdict judge(long now, Neighbours snapshot, Set<String> heard, int checkedPaths, List<String> failingPaths) {
        if (snapshot != judgedSnapshot) {
            judgedSnapshot = snapshot;
            Set<String> eligible = new java.util.HashSet<>();
            Set<String> nodes = new java.util.HashSet<>(List.of(ownNode));
            snapshot.eligible().forEach(pod -> {
                eligible.add(pod.podName());
                nodes.add(pod.nodeName());
            });
            positions.keySet().retainAll(nodes);
            ringCheckers = ExpectedCheckers.of(ownNode, snapshot.eligible(), limit,
                    node -> positions.computeIfAbsent(node, Neighbour::ringPosition));
            // a pod that left and comes back must again have had time to find us
            firstSeenNanos.keySet().retainAll(eligible);
            eligible.forEach(pod -> firstSeenNanos.putIfAbsent(pod, now));
        }
        // a cordoned node's pod is not checked (unless ALLOW_UNSCHEDULABLE): nobody is expected
        boolean checkedByOthers = snapshot.ownNodeReady() || allowUnschedulable;
        List<Neighbour> expected = checkedByOthers
                ? ringCheckers.stream().filter(pod -> now - firstSeenNanos.getOrDefault(pod.podName(), now) >= windowNanos).toList()
                : List.of();
        List<String> silent = expected.stream().filter(pod -> !heard.contains(pod.podName()))
                .map(Neighbour::nodeName).sorted().toList();
        if (!snapshot.ownPodReady()) {
            ownReadySinceNanos = -1;
        } else if (ownReadySinceNanos < 0) {
            ownReadySinceNanos = now;
        }
        State inbound;
        // our first window, and one from when the others see us Ready (nobody checks a pod not Ready, or leaving)
        if (now - startedNanos < windowNanos || ownReadySinceNanos < 0 || now - ownReadySinceNanos < windowNanos) {
            inboundInARow = 0;
            inbound = State.PENDING;
        } else {
            inboundInARow = settings.quorum(silent.size(), expected.size()) ? inboundInARow + 1 : 0;
            inbound = inboundInARow >= INBOUND_JUDGEMENTS ? State.PROBLEM : State.OK;
        }
        State outbound = settings.quorum(failingPaths.size(), checkedPaths) ? State.PROBLEM : State.OK;
        return new Verdict(inbound, outbound, expected.size(), expected.size() - silent.size(), silent,
                failingPaths.stream().sorted().toList());
    }
}
