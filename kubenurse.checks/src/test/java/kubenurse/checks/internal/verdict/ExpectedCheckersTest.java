package kubenurse.checks.internal.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import kubenurse.discovery.Neighbour;
import org.junit.jupiter.api.Test;

/** The pods that check us are exactly those whose own clockwise choice (the checkers' rule) includes our node. */
class ExpectedCheckersTest {

    private static Neighbour pod(String node) {
        return new Neighbour("kubenurse-" + node, "10.0.0.1", "192.168.0.1", node, "Running");
    }

    /** What a checker on {@code checker} chooses among {@code nodes}: the K nearest clockwise (discovery's rule). */
    private static Set<String> chosenBy(String checker, List<String> nodes, int limit) {
        long own = Neighbour.ringPosition(checker);
        Map<String, Long> position = new HashMap<>();
        nodes.forEach(node -> position.put(node, Neighbour.ringPosition(node)));
        List<String> clockwise = nodes.stream().filter(node -> !node.equals(checker))
                .sorted(Comparator.<String, Long>comparing(node -> position.get(node) - own, Long::compareUnsigned))
                .toList();
        return new HashSet<>(limit > 0 && clockwise.size() > limit ? clockwise.subList(0, limit) : clockwise);
    }

    @Test
    void theInverseOfEveryCheckersChoiceOnRandomRings() {
        Random random = new Random(21);
        for (int ring = 0; ring < 150; ring++) {
            int size = 2 + random.nextInt(40);
            int limit = random.nextInt(6); // 0: no limit
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                nodes.add("node-" + Long.toHexString(random.nextLong()));
            }
            for (String me : nodes) {
                List<Neighbour> eligible = nodes.stream().filter(node -> !node.equals(me)).map(ExpectedCheckersTest::pod).toList();
                Set<String> expected = ExpectedCheckers.of(me, eligible, limit).stream().map(Neighbour::nodeName)
                        .collect(Collectors.toSet());
                Set<String> actual = nodes.stream().filter(checker -> chosenBy(checker, nodes, limit).contains(me))
                        .collect(Collectors.toSet());
                assertEquals(actual, expected, "ring of " + size + ", K=" + limit + ", node " + me);
                assertEquals(limit == 0 ? size - 1 : Math.min(limit, size - 1), expected.size(),
                        "every node is checked by K others");
            }
        }
    }

    @Test
    void bothPodsOfASurgeOnOneNodeCheckUs() {
        Neighbour first = pod("node-b");
        Neighbour second = new Neighbour("kubenurse-new", "10.0.0.9", "192.168.0.1", "node-b", "Running");
        assertEquals(List.of(first, second), ExpectedCheckers.of("node-a", List.of(first, second), 1));
    }
}
