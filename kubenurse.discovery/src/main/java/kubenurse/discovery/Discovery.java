package kubenurse.discovery;

import java.util.List;
import java.util.Optional;
import kubenurse.config.Config;
import kubenurse.discovery.internal.KubernetesDiscovery;

/**
 * Keeps the API server's view of the kubenurse pods and the nodes, and says which neighbours to check and
 * whether our own node is fit (exists, schedulable). When the API server is unreachable, the last known
 * view stays in use.
 */
public interface Discovery extends AutoCloseable {

    /** Starts list+watch of pods and nodes in the background; returns at once. */
    static Discovery start(Config config) {
        return KubernetesDiscovery.start(config);
    }

    /** The neighbours to check now, chosen by the hash ring of COMPAT.md. */
    List<NeighbourPod> neighbours();

    /**
     * False once the node list shows our node unschedulable (cordoned) or gone; true before the first list
     * (nothing known yet, so no reason to take the pod out of service).
     */
    boolean ownNodeReady();

    /** Empty while lists and watches of pods and nodes succeed (and before the first attempt); else what failed
     *  last, e.g. "nodes: watch /api/v1/nodes: malformed event ...", at most 512 chars. */
    Optional<String> problem();

    /** Stops the watches. */
    @Override
    void close();
}
