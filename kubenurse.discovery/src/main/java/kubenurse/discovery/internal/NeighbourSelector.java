package kubenurse.discovery.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

    /**
     * Every pod that qualifies as a neighbour, ordered by node and pod name, whether the hash ring chooses it or
     * not: what upstream lists as the neighbourhood in /alive.
     */
    List<Neighbour> eligible(String ownNode, Collection<PodInfo> pods, Map<String, NodeInfo> nodes) {
        return pods.stream()
                .filter(pod -> eligible(pod, ownNode, nodes))
                .sorted(Comparator.comparing(PodInfo::nodeName).thenComparing(PodInfo::name))
                .map(p -> new Neighbour(p.name(), p.podIp(), p.hostIp(), p.nodeName(), p.phase()))
                .toList();
    }

    /**
     * Of the eligible neighbours (ordered by node and pod name), the ones to check: with a limit K, all pods on the
     * K nodes nearest clockwise on the ring, nearest first; without one, all.
     */
    List<Neighbour> choose(String ownNode, List<Neighbour> eligible) {
        Map<String, List<Neighbour>> byNode = new TreeMap<>();
        eligible.forEach(n -> byNode.computeIfAbsent(n.nodeName(), k -> new ArrayList<>()).add(n));
        List<String> nodeOrder = ownNode == null || ownNode.isEmpty()
                ? List.copyOf(byNode.keySet())
                : HashRing.clockwiseFrom(ownNode, List.copyOf(byNode.keySet()));
        List<String> chosen = limit > 0 && nodeOrder.size() > limit ? nodeOrder.subList(0, limit) : nodeOrder;
        List<Neighbour> neighbours = new ArrayList<>();
        chosen.forEach(node -> neighbours.addAll(byNode.get(node)));
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
