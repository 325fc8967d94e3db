package kubenurse.discovery;

import java.util.List;

/**
 * What discovery knows at one moment, immutable: published anew when pods or nodes change, so that readers
 * (every check cycle, every /ready, every /alive) only read a reference.
 *
 * @param neighbours   the neighbours to check, chosen by the hash ring among the eligible ones
 * @param eligible     every pod that qualifies as a neighbour, chosen or not, by node and pod name: /alive lists
 *                     them as upstream does
 * @param ownNodeReady false once the node list shows our node unschedulable (cordoned) or gone; true before
 *                     the first node list (nothing known yet, so no reason to take the pod out of service)
 * @param ownPodReady  whether the pod list shows our own pod Running, Ready and not being deleted, as the other
 *                     pods see it (only then do they check it); true when our pod is not in the list (a selector
 *                     that does not match it: nothing known)
 */
public record Neighbours(List<Neighbour> neighbours, List<Neighbour> eligible, boolean ownNodeReady,
        boolean ownPodReady) {

    private static final Neighbours NONE = new Neighbours(List.of(), true);

    public Neighbours {
        neighbours = List.copyOf(neighbours);
        eligible = List.copyOf(eligible);
    }

    /** A snapshot in which our own pod is Ready (or unknown). */
    public Neighbours(List<Neighbour> neighbours, List<Neighbour> eligible, boolean ownNodeReady) {
        this(neighbours, eligible, ownNodeReady, true);
    }

    /** A snapshot in which every eligible neighbour is checked (no limit, or fewer nodes than the limit). */
    public Neighbours(List<Neighbour> neighbours, boolean ownNodeReady) {
        this(neighbours, neighbours, ownNodeReady, true);
    }

    /** Nobody to check and nothing against our node: before the first list, and always in local mode. */
    public static Neighbours none() {
        return NONE;
    }
}
