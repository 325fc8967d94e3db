package kubenurse.discovery.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kubenurse.discovery.Neighbour;

/**
 * Chooses the neighbours: Running and Ready pods, not being deleted, not ourselves, with an IP, on a node
 * that exists and (unless allowed) is schedulable, and not on our own node; then, with a limit K, the pods on the K
 * nodes nearest clockwise on the {@link HashRing}. All pods on a chosen node are kept, so both pods of a
 * surge rollout are checked (Go keeps one).
 */
final class NeighbourSelector {

    private final String ownPod;
    private final boolean allowUnschedulable;
    private final int limit;

    NeighbourSelector(String ownPod, boolean allowUnschedulable, int limit) {
        this.ownPod = ownPod;
        this.allowUnschedulable = allowUnschedulable;
        this.limit = limit;
    }

    List<Neighbour> select(String ownNode, Collection<PodInfo> pods, Map<String, NodeInfo> nodes) {
        Map<String, List<PodInfo>> candidatesByNode = new TreeMap<>();
        for (PodInfo pod : pods) {
            if (eligible(pod, ownNode, nodes)) {
                candidatesByNode.computeIfAbsent(pod.nodeName(), n -> new ArrayList<>()).add(pod);
            }
        }
        List<String> nodeOrder = ownNode == null || ownNode.isEmpty()
                ? List.copyOf(candidatesByNode.keySet())
                : HashRing.clockwiseFrom(ownNode, List.copyOf(candidatesByNode.keySet()));
        Set<String> chosen = new LinkedHashSet<>(limit > 0 && nodeOrder.size() > limit ? nodeOrder.subList(0, limit) : nodeOrder);
        List<Neighbour> neighbours = new ArrayList<>();
        for (String node : chosen) {
            candidatesByNode.get(node).stream()
                    .sorted(Comparator.comparing(PodInfo::name))
                    .forEach(p -> neighbours.add(new Neighbour(p.name(), p.podIp(), p.hostIp(), p.nodeName(), p.phase())));
        }
        return List.copyOf(neighbours);
    }

    private boolean eligible(PodInfo pod, String ownNode, Map<String, NodeInfo> nodes) {
        if (!"Running".equals(pod.phase()) || pod.deleting() || pod.name().equals(ownPod) || pod.podIp().isEmpty()
                || pod.nodeName().isEmpty() || pod.nodeName().equals(ownNode)) {
            return false;
        }
        NodeInfo node = nodes.get(pod.nodeName());
        if (node == null || (!allowUnschedulable && node.unschedulable())) {
            return false;
        }
        // A pod not yet Ready may not listen yet (a new pod of a rollout): checking it would raise a false
        // alarm. On a cordoned node a kubenurse reports itself not ready on purpose, and with
        // ALLOW_UNSCHEDULABLE it is still to be checked.
        return pod.ready() || node.unschedulable();
    }
}
