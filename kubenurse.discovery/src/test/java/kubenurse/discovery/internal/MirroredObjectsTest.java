package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Watch events, valid and mutated, through the watcher's own path (parse a line, apply it to the mirrored
 * pods and nodes): whatever a line holds, only the outcomes the run loop handles come out (applied, or
 * Malformed / Gone / ApiError, which it answers with a relist or a retry), and afterwards an ordinary
 * ADDED and DELETED still work.
 */
class MirroredObjectsTest {

    /** The image's thread stack size (jlink/link.sh sets -Xss512k). */
    private static final ExecutorService IMAGE_STACK = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("image-stack").daemon().stackSize(512 * 1024).factory());

    /** Each field of a watch event, with its ordinary JSON; a mutation replaces one or more of them. */
    private static final Map<String, String> FIELDS = fields();

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "\"MODIFIED\"");
        fields.put("code", "410");
        fields.put("message", "\"too old resource version\"");
        fields.put("name", "\"pod-x\"");
        fields.put("namespace", "\"kube-system\"");
        fields.put("resourceVersion", "\"12345\"");
        fields.put("deletionTimestamp", "null");
        fields.put("nodeName", "\"node-x\"");
        fields.put("unschedulable", "false");
        fields.put("taints", "[{\"key\":\"node.kubernetes.io/unschedulable\",\"effect\":\"NoSchedule\"}]");
        fields.put("taintKey", "\"node.kubernetes.io/unschedulable\"");
        fields.put("phase", "\"Running\"");
        fields.put("podIP", "\"10.0.0.1\"");
        fields.put("conditions", "[{\"type\":\"Ready\",\"status\":\"True\"}]");
        fields.put("ready", "\"True\"");
        fields.put("metadata", null);
        fields.put("spec", null);
        fields.put("status", null);
        fields.put("object", null);
        return fields;
    }

    private static String event(Map<String, String> replaced) {
        Map<String, String> f = new LinkedHashMap<>(FIELDS);
        f.putAll(replaced);
        String metadata = or(f.get("metadata"), "{\"name\":" + f.get("name") + ",\"namespace\":" + f.get("namespace")
                + ",\"resourceVersion\":" + f.get("resourceVersion") + ",\"deletionTimestamp\":" + f.get("deletionTimestamp") + "}");
        String spec = or(f.get("spec"), "{\"nodeName\":" + f.get("nodeName") + ",\"unschedulable\":" + f.get("unschedulable")
                + ",\"taints\":" + or(replaced.get("taints"), "[{\"key\":" + f.get("taintKey") + ",\"effect\":\"NoSchedule\"}]") + "}");
        String status = or(f.get("status"), "{\"phase\":" + f.get("phase") + ",\"podIP\":" + f.get("podIP")
                + ",\"hostIP\":\"192.168.0.1\",\"conditions\":"
                + or(replaced.get("conditions"), "[{\"type\":\"Ready\",\"status\":" + f.get("ready") + "}]") + "}");
        String object = or(f.get("object"), "{\"kind\":\"Status\",\"code\":" + f.get("code") + ",\"message\":" + f.get("message")
                + ",\"metadata\":" + metadata + ",\"spec\":" + spec + ",\"status\":" + status + "}");
        return "{\"type\":" + f.get("type") + ",\"object\":" + object + "}";
    }

    private static String or(String replaced, String otherwise) {
        return replaced != null ? replaced : otherwise;
    }

    @Provide
    Arbitrary<String> junkValues() {
        Arbitrary<String> fixed = Arbitraries.of("410.0", "4.1e2", "1e400", "-1e400", "123456789012345678901234567890",
                "-0", "0.5", "true", "false", "null", "\"\"", "\"410\"", "\"true\"", "\"ERROR\"", "\"ADDED\"", "\"DELETED\"",
                "\"BOOKMARK\"", "[]", "{}", "[1,\"a\",{}]", "{\"metadata\":{\"name\":5}}", "\"\\u0000\\n\\\"\"",
                "\"" + "x".repeat(10_000) + "\"");
        Arbitrary<String> notJson = Arbitraries.of("NaN", "Infinity", "undefined", "'single'", "", "{", "]", "\"unterminated");
        Arbitrary<String> numbers = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(d -> d.toString().replace("Infinity", "1e999")));
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(40)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        Arbitrary<String> nested = Arbitraries.integers().between(1, 400)
                .map(depth -> "[".repeat(depth) + "1" + "]".repeat(depth));
        Arbitrary<String> unbalanced = Arbitraries.integers().between(1, 20_000).map("{\"a\":"::repeat);
        return Arbitraries.frequencyOf(
                Tuple.of(8, fixed), Tuple.of(3, numbers), Tuple.of(3, strings),
                Tuple.of(1, notJson), Tuple.of(1, nested), Tuple.of(1, unbalanced));
    }

    @Provide
    Arbitrary<String> hostileLines() {
        Arbitrary<String> types = Arbitraries.of("\"ADDED\"", "\"MODIFIED\"", "\"DELETED\"", "\"BOOKMARK\"", "\"ERROR\"");
        Arbitrary<Map<String, String>> replacements = Combinators.combine(types,
                Arbitraries.of(List.copyOf(FIELDS.keySet())).list().ofMinSize(1).ofMaxSize(3),
                junkValues().list().ofSize(3)).as((type, keys, junk) -> {
                    Map<String, String> replaced = new LinkedHashMap<>();
                    replaced.put("type", type);
                    for (int i = 0; i < keys.size(); i++) {
                        replaced.put(keys.get(i), junk.get(i));
                    }
                    return replaced;
                });
        Arbitrary<String> mutated = replacements.map(MirroredObjectsTest::event);
        Arbitrary<String> truncated = Combinators.combine(mutated, Arbitraries.doubles().between(0, 1))
                .as((line, cut) -> line.substring(0, (int) (line.length() * cut)));
        Arbitrary<String> spliced = Combinators.combine(mutated, Arbitraries.doubles().between(0, 1), junkValues())
                .as((line, at, junk) -> line.substring(0, (int) (line.length() * at)) + junk
                        + line.substring((int) (line.length() * at)));
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(300);
        return Arbitraries.frequencyOf(
                Tuple.of(6, mutated), Tuple.of(2, truncated), Tuple.of(1, spliced),
                Tuple.of(1, garbage), Tuple.of(1, junkValues()));
    }

    /** What the run loop does with a line, short of the network: the outcomes it handles are counted. */
    private static final class Feed {
        final AtomicInteger changes = new AtomicInteger();
        final MirroredObjects<PodInfo> pods = new MirroredObjects<>("/api/v1/pods", PodInfo::of, PodInfo::key, changes::incrementAndGet);
        final MirroredObjects<NodeInfo> nodes = new MirroredObjects<>("/api/v1/nodes", NodeInfo::of, NodeInfo::key, changes::incrementAndGet);
        final List<String> handled = new ArrayList<>();

        void line(String line) {
            for (MirroredObjects<?> objects : List.of(pods, nodes)) {
                try {
                    objects.apply(WatchEvent.parse(line), "100");
                    handled.add("applied");
                } catch (WatchEvent.Malformed | ResourceWatcher.Gone | ApiError relistOrRetry) {
                    handled.add(relistOrRetry.getClass().getSimpleName());
                }
            }
        }

        List<String> handledAfter(Runnable step) {
            int from = handled.size();
            step.run();
            return List.copyOf(handled.subList(from, handled.size()));
        }

        /** As {@link #line}, on a thread with the image's small stack (-Xss512k), where deep nesting would overflow it. */
        List<String> lineOnImageStack(String line) {
            int from = handled.size();
            try {
                IMAGE_STACK.submit(() -> line(line)).get();
            } catch (ExecutionException escaped) {
                throw new AssertionError("escaped from the watch path: " + escaped.getCause(), escaped.getCause());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return List.copyOf(handled.subList(from, handled.size()));
        }
    }

    @Property(tries = 10_000)
    void noWatchLineBreaksTheMirror(@ForAll("hostileLines") String hostile) {
        Feed feed = new Feed();
        feed.line(pod("ADDED", "pod-a", "1"));
        // any exception other than the three handled ones fails the property
        Statistics.collect(feed.lineOnImageStack(hostile).getFirst());

        assertTrue(feed.pods.objects().stream().noneMatch(p -> p.key().isEmpty()), "stored without a name");
        assertTrue(feed.nodes.objects().stream().noneMatch(n -> n.key().isEmpty()), "stored without a name");
        feed.line(pod("ADDED", "pod-b", "2"));
        assertEquals("node-b", stored(feed.pods, PodInfo::key, "kube-system/pod-b").nodeName());
        feed.line(pod("DELETED", "pod-b", "3"));
        assertEquals(null, stored(feed.pods, PodInfo::key, "kube-system/pod-b"));
        feed.line(node("ADDED", "node-z", true));
        assertTrue(stored(feed.nodes, NodeInfo::key, "node-z").unschedulable());
        feed.line(node("DELETED", "node-z", true));
        assertEquals(null, stored(feed.nodes, NodeInfo::key, "node-z"));
    }

    private static String pod(String type, String name, String resourceVersion) {
        return "{\"type\":\"" + type + "\",\"object\":{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"kube-system\","
                + "\"resourceVersion\":\"" + resourceVersion + "\"},\"spec\":{\"nodeName\":\"node-b\"},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.2\"}}}";
    }

    private static String node(String type, String name, boolean unschedulable) {
        return "{\"type\":\"" + type + "\",\"object\":{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"unschedulable\":"
                + unschedulable + "}}}";
    }

    @Example
    void oddTypesReadByTheirMeaningAndANamelessObjectIsSkipped() throws Exception {
        Feed feed = new Feed();
        feed.line("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":42,\"namespace\":\"ns\",\"resourceVersion\":7},"
                + "\"spec\":{\"nodeName\":true,\"unschedulable\":\"true\"},\"status\":{\"phase\":[\"Running\"]}}}");
        assertEquals(new PodInfo("ns", "42", "true", "", "", "", false, true), stored(feed.pods, PodInfo::key, "ns/42"));
        assertTrue(stored(feed.nodes, NodeInfo::key, "42").unschedulable(), "\"true\" as a string cordons");
        assertEquals("7", feed.pods.apply(WatchEvent.parse("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
                + "{\"resourceVersion\":7}}}"), "1"));

        long before = feed.pods.skipped();
        feed.line("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":{},\"namespace\":\"ns\"}}}");
        feed.line("{\"type\":\"ADDED\",\"object\":[]}");
        assertEquals(before + 2, feed.pods.skipped());
        assertFalse(feed.pods.objects().stream().anyMatch(p -> p.name().isEmpty()));
        assertEquals(List.of("Gone", "Gone"), feed.handledAfter(() -> feed.line(
                "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410.0,\"message\":\"too old\"}}")));
        assertEquals(List.of("ApiError", "ApiError"), feed.handledAfter(() -> feed.line(
                "{\"type\":\"ERROR\",\"object\":{\"code\":\"500\"}}")));
        assertEquals(List.of("Malformed", "Malformed"), feed.lineOnImageStack("[".repeat(100_000)));
        assertEquals(List.of("Malformed", "Malformed"), feed.lineOnImageStack("{\"type\":\"ADDED\",\"object\":"
                + "{\"a\":".repeat(20_000)));
    }

    @Example
    void anObjectThatIsNotWantedIsNeverStoredAndTakesOutTheOneStored() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        MirroredObjects<NodeInfo> cordoned = new MirroredObjects<>("/api/v1/nodes", NodeInfo::of, NodeInfo::key,
                NodeInfo::unschedulable, changes::incrementAndGet);
        Map<String, NodeInfo> listed = new LinkedHashMap<>();
        cordoned.decodeInto(listed, com.eclipsesource.json.Json.parse(
                "{\"metadata\":{\"name\":\"node-a\"},\"spec\":{}}").asObject());
        assertEquals(Map.of(), listed, "a schedulable node in the list of cordoned nodes is not kept");
        cordoned.apply(WatchEvent.parse(node("ADDED", "node-b", true)), "1");
        assertTrue(stored(cordoned, NodeInfo::key, "node-b").unschedulable());
        cordoned.apply(WatchEvent.parse(node("MODIFIED", "node-c", false)), "1");
        assertEquals(null, stored(cordoned, NodeInfo::key, "node-c"), "a line for a node that does not match is not stored");
        int before = changes.get();
        cordoned.apply(WatchEvent.parse(node("MODIFIED", "node-b", false)), "1");
        assertEquals(null, stored(cordoned, NodeInfo::key, "node-b"), "no longer matching: gone, as if the server had sent DELETED");
        assertEquals(before + 1, changes.get(), "and that is a change");
    }

    /** The stored object of this key, or null: what a reader of the store's objects finds. */
    private static <T> T stored(MirroredObjects<T> objects, java.util.function.Function<T, String> key, String wanted) {
        return objects.objects().stream().filter(o -> key.apply(o).equals(wanted)).findFirst().orElse(null);
    }
}
