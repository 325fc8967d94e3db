package kubenurse.discovery;

import java.util.List;

/**
 * What discovery knows at one moment, immutable: published anew when pods or nodes change, so that readers
 * (every check cycle, every /ready) only read a reference.
 *
 * @param neighbours   the neighbours to check, chosen by the hash ring
 * @param ownNodeReady false once the node list shows our node unschedulable (cordoned) or gone; true before
 *                     the first node list (nothing known yet, so no reason to take the pod out of service)
 */
public record Neighbours(List<Neighbour> neighbours, boolean ownNodeReady) {

    private static final Neighbours NONE = new Neighbours(List.of(), true);

    public Neighbours {
        neighbours = List.copyOf(neighbours);
    }

    /** Nobody to check and nothing against our node: before the first list, and always in local mode. */
    public static Neighbours none() {
        return NONE;
    }
}
