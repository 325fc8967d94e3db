package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import kubenurse.discovery.Neighbour;
import org.junit.jupiter.api.Test;

class NeighbourSelectorTest {

    private static PodInfo pod(String name, String node) {
        return new PodInfo("kube-system", name, node, "10.0.0." + Math.abs(name.hashCode() % 250), "192.168.0.1",
                "Running", false, true);
    }

    private static Map<String, NodeInfo> nodes(String... names) {
        Map<String, NodeInfo> nodes = new HashMap<>();
        for (String name : names) {
            nodes.put(name, new NodeInfo(name, false));
        }
        return nodes;
    }

    private static List<String> names(List<Neighbour> pods) {
        return pods.stream().map(Neighbour::podName).sorted().toList();
    }

    @Test
    void everyNodeIsCheckedByExactlyKOthersInRandomClusters() {
        Random random = new Random(42);
        for (int cluster = 0; cluster < 200; cluster++) {
            int nodeCount = 2 + random.nextInt(60);
            int k = 1 + random.nextInt(12);
            List<PodInfo> pods = new ArrayList<>();
            Map<String, NodeInfo> nodes = new HashMap<>();
            for (int n = 0; n < nodeCount; n++) {
                String node = "node-" + cluster + "-" + random.nextInt(1_000_000) + "." + n;
                nodes.put(node, new NodeInfo(node, false));
                pods.add(pod("kubenurse-" + n, node));
            }
            Map<String, Integer> checkedBy = new HashMap<>();
            for (PodInfo self : pods) {
                List<Neighbour> chosen = select(new NeighbourSelector(self.name(), false, k), self.nodeName(), pods, nodes);
                assertEquals(Math.min(k, nodeCount - 1), chosen.size());
                chosen.forEach(n -> checkedBy.merge(n.nodeName(), 1, Integer::sum));
            }
            int expected = Math.min(k, nodeCount - 1);
            for (String node : nodes.keySet()) {
                assertEquals(expected, checkedBy.getOrDefault(node, 0),
                        "cluster " + cluster + " (" + nodeCount + " nodes, K=" + k + "): node " + node);
            }
        }
    }

    @Test
    void ringDistanceIsClockwiseFromOurOwnNode() {
        List<String> others = List.of("b", "c", "d", "e");
        List<String> order = HashRing.clockwiseFrom("a", others);
        long own = HashRing.position("a");
        for (int i = 1; i < order.size(); i++) {
            assertTrue(Long.compareUnsigned(HashRing.position(order.get(i - 1)) - own,
                    HashRing.position(order.get(i)) - own) < 0);
        }
        assertEquals(0xca978112ca1bbdcaL, HashRing.position("a"), "first 8 bytes of SHA-256(\"a\"), big-endian");
    }

    @Test
    void limitZeroMeansEveryone() {
        List<PodInfo> pods = List.of(pod("a", "n1"), pod("b", "n2"), pod("c", "n3"), pod("d", "n4"));
        assertEquals(List.of("b", "c", "d"),
                names(select(new NeighbourSelector("a", false, 0), "n1", pods, nodes("n1", "n2", "n3", "n4"))));
    }

    @Test
    void onlyRunningLivePodsOnSchedulableExistingNodesOtherThanOurs() {
        List<PodInfo> pods = List.of(
                pod("self", "n1"),
                pod("sibling-on-our-node", "n1"),
                pod("ok", "n2"),
                new PodInfo("kube-system", "pending", "n3", "", "", "Pending", false, false),
                new PodInfo("kube-system", "deleting", "n4", "10.0.0.4", "192.168.0.4", "Running", true, true),
                new PodInfo("kube-system", "not-ready-yet", "n2", "10.0.0.7", "192.168.0.2", "Running", false, false),
                pod("on-cordoned", "n5"),
                pod("on-missing-node", "n6"),
                new PodInfo("kube-system", "no-ip", "n2", "", "192.168.0.2", "Running", false, true),
                new PodInfo("kube-system", "cordoned-not-ready", "n5", "10.0.0.9", "192.168.0.5", "Running", false, false));
        Map<String, NodeInfo> nodes = nodes("n1", "n2", "n3", "n4");
        nodes.put("n5", new NodeInfo("n5", true));
        assertEquals(List.of("ok"), names(select(new NeighbourSelector("self", false, 10), "n1", pods, nodes)));
        assertEquals(List.of("cordoned-not-ready", "ok", "on-cordoned"),
                names(select(new NeighbourSelector("self", true, 10), "n1", pods, nodes)),
                "with ALLOW_UNSCHEDULABLE, pods on cordoned nodes (which report themselves not ready) are checked");
    }

    @Test
    void bothPodsOfASurgeRolloutAreKept() {
        // the surge pair on n3, another pod on n2: with K=1 the ring alone decides which node is checked
        List<PodInfo> pods = List.of(pod("self", "n1"), pod("old", "n3"), pod("new", "n3"), pod("x", "n2"));
        List<String> ring = nearestFirst("n1", List.of("n2", "n3"));
        assertEquals(List.of("n3", "n2"), ring, "set-up: the surge pair sits on the node the ring puts nearest");
        List<Neighbour> chosen = select(new NeighbourSelector("self", false, 1), "n1", pods, nodes("n1", "n2", "n3"));
        assertEquals(List.of("new", "old"), names(chosen), "K=1 node, and both pods on it");
        List<Neighbour> all = select(new NeighbourSelector("self", false, 0), "n1", pods, nodes("n1", "n2", "n3"));
        assertEquals(List.of("new", "old", "x"), names(all));
    }

    /**
     * The ring's order worked out here, apart from {@link HashRing}: a node's position is the first 8 bytes of
     * SHA-256 of its name, unsigned big-endian; the others by clockwise distance from {@code own}, nearest first.
     */
    private static List<String> nearestFirst(String own, List<String> others) {
        BigInteger ring = BigInteger.ONE.shiftLeft(64);
        BigInteger from = ringPosition(own);
        return others.stream().sorted(Comparator.comparing((String n) -> ringPosition(n).subtract(from).mod(ring)))
                .toList();
    }

    private static BigInteger ringPosition(String node) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(node.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Test
    void eligibleListsEveryQualifyingPodWhateverTheLimitAndTheChosenAreAmongThem() {
        List<PodInfo> pods = List.of(pod("self", "n1"), pod("e", "n5"), pod("b", "n2"), pod("d2", "n4"), pod("d1", "n4"),
                pod("c", "n3"), new PodInfo("kube-system", "pending", "n3", "", "", "Pending", false, false));
        Map<String, NodeInfo> nodes = nodes("n1", "n2", "n3", "n4", "n5");
        NeighbourSelector selector = new NeighbourSelector("self", false, 2);
        List<Neighbour> eligible = selector.eligible("n1", pods, nodes);
        assertEquals(List.of("b", "c", "d1", "d2", "e"), names(eligible), "every eligible pod, by node then pod name");
        List<Neighbour> chosen = selector.choose("n1", eligible);
        assertEquals(2, chosen.stream().map(Neighbour::nodeName).distinct().count(), "K=2 nodes chosen");
        assertTrue(eligible.containsAll(chosen), chosen.toString());
        assertEquals(nearestFirst("n1", List.of("n2", "n3", "n4", "n5")).subList(0, 2),
                chosen.stream().map(Neighbour::nodeName).distinct().toList(), "the nearest nodes clockwise, nearest first");
        assertEquals(chosen, select(selector, "n1", pods, nodes));
    }

    @Test
    void nodeInfoReadsCordonFromSpecOrTaint() {
        Function<String, NodeInfo> parse = json -> NodeInfo.of(com.eclipsesource.json.Json.parse(json).asObject());
        assertEquals(new NodeInfo("a", false), parse.apply("{\"metadata\":{\"name\":\"a\"},\"spec\":{}}"));
        assertEquals(new NodeInfo("b", true), parse.apply("{\"metadata\":{\"name\":\"b\"},\"spec\":{\"unschedulable\":true}}"));
        assertEquals(new NodeInfo("c", true), parse.apply("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"taints\":[{\"key\":"
                + "\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}]}}"));
        assertEquals(new NodeInfo("d", false), parse.apply("{\"metadata\":{\"name\":\"d\"},\"spec\":{\"taints\":[{\"key\":"
                + "\"node.kubernetes.io/unschedulable\",\"effect\":\"PreferNoSchedule\"}]}}"));
    }

    /** What discovery's snapshot does with the selector: the chosen among the eligible. */
    private static List<Neighbour> select(NeighbourSelector selector, String ownNode, java.util.Collection<PodInfo> pods,
            Map<String, NodeInfo> nodes) {
        return selector.choose(ownNode, selector.eligible(ownNode, pods, nodes));
    }
}
