package kubenurse.checks.internal.verdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import kubenurse.discovery.Neighbour;

/**
 * Who checks us, by the rule every kubenurse uses to choose whom to check: a pod checks the pods on the K nodes
 * nearest clockwise from its own node on the hash ring. A node X lies between a checker's node and ours exactly when
 * X is nearer to us counter-clockwise than the checker's node is, so the pods that check us are those on the K
 * nodes nearest counter-clockwise from ours: one sort of the eligible nodes, not a ring walk per pod.
 */
final class ExpectedCheckers {

    private ExpectedCheckers() {
    }

    /**
     * @param ownNode  our node
     * @param eligible every pod eligible as a neighbour (on other nodes), as discovery lists them
     * @param limit    the neighbour limit K (0: everyone checks everyone)
     * @return the pods on the K nodes nearest counter-clockwise, nearest first
     */
    static List<Neighbour> of(String ownNode, List<Neighbour> eligible, int limit) {
        return of(ownNode, eligible, limit, Neighbour::ringPosition);
    }

    /** As {@link #of(String, List, int)}, with the nodes' ring positions from {@code position} (a cache of them). */
    static List<Neighbour> of(String ownNode, List<Neighbour> eligible, int limit, ToLongFunction<String> position) {
        Map<String, List<Neighbour>> byNode = new TreeMap<>();
        eligible.forEach(pod -> byNode.computeIfAbsent(pod.nodeName(), node -> new ArrayList<>()).add(pod));
        long own = position.applyAsLong(ownNode);
        Map<String, Long> distance = new HashMap<>();
        byNode.keySet().forEach(node -> distance.put(node, own - position.applyAsLong(node)));
        List<String> nearestFirst = byNode.keySet().stream()
                .sorted(Comparator.<String, Long>comparing(distance::get, Long::compareUnsigned)
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        List<String> chosen = limit > 0 && nearestFirst.size() > limit ? nearestFirst.subList(0, limit) : nearestFirst;
        List<Neighbour> checkers = new ArrayList<>();
        chosen.forEach(node -> checkers.addAll(byNode.get(node)));
        return List.copyOf(checkers);
    }
}
