package kubenurse.discovery.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import kubenurse.config.Config;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;
import kubenurse.testing.Traffic;

/**
 * Benchmark (not a test): what one kubenurse pod receives from the API server per minute in a cluster of N
 * nodes whose status changes every T seconds (each node ~tens of KB: 50 images, conditions, managedFields),
 * with N kubenurse pods and a few cordoned nodes. Counts the body bytes and the events (bookmarks included)
 * the stub API server sent to this pod's watches and lists over a window after start-up, per selection.
 * Uses only what every version of discovery has (KubernetesDiscovery.start, snapshot), so that
 * bench/api-cost.sh runs it against today's classes and those of an older commit alike.
 */
public final class ApiCostBenchmark {

    private static final int CORDONED = 10;

    private ApiCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int periodSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int windowSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        String label = args.length > 3 ? args[3] : "this build";
        Path dir = Files.createTempDirectory("kubenurse-api-cost");
        String[] cordoned = IntStream.rangeClosed(1, CORDONED).mapToObj(i -> "node-" + i).toArray(String[]::new);
        try (TestCluster cluster = TestCluster.builder().token("bench-token")
                .beforeObjects(api -> {
                    api.nodeImages(50); // the kubelet reports at most 50 images
                    api.nodeManagedFieldsBytes(3000);
                })
                .cordoned(cordoned)
                .withPodsOnNodes(n, i -> new TestCluster.Pod("kubenurse-" + i, "node-" + i, TestCluster.podIp10(i)))
                .start(dir)) {
            StubApiServer api = cluster.api();
            api.compact(); // the history of building the cluster is not what a new watcher would see
            // history for a few minutes of updates, as the API server's watch cache keeps
            api.churnNodeStatus(Duration.ofSeconds(periodSeconds), Math.max(10_000, n * 60 / periodSeconds * 3));
            Config config = Config.fromEnvironment(cluster.environmentFor("kubenurse-0", "node-0"), "bench");
            long start = System.nanoTime();
            try (KubernetesDiscovery discovery = KubernetesDiscovery.start(config)) {
                while (discovery.snapshot().neighbours().size() < Math.min(10, n - 1 - CORDONED)) {
                    Thread.sleep(10);
                }
                double syncSeconds = (System.nanoTime() - start) / 1e9;
                Map<String, long[]> startUp = totals(api.traffic());
                Thread.sleep(5_000); // the watches are open and streaming before the window starts
                Map<String, long[]> before = totals(api.traffic());
                long updatesBefore = api.statusUpdates();
                long windowStart = System.nanoTime();
                Thread.sleep(Duration.ofSeconds(windowSeconds));
                double window = (System.nanoTime() - windowStart) / 1e9;
                Map<String, long[]> after = totals(api.traffic());
                double updatesPerMinute = (api.statusUpdates() - updatesBefore) * 60 / window;
                long nodeBytes = api.meanJsonBytes("nodes");
                System.out.printf("discovery: %s%n", label);
                System.out.printf("cluster: %d nodes (%d cordoned), %d kubenurse pods; node JSON mean %d bytes (metadata %d),"
                        + " pod %d bytes%n", n, CORDONED, n, nodeBytes, api.meanMetadataJsonBytes("nodes"),
                        api.meanJsonBytes("pods"));
                System.out.printf("status churn: every node every %d s; %.0f updates/min measured (%.0f nominal)%n",
                        periodSeconds, updatesPerMinute, n * 60.0 / periodSeconds);
                System.out.printf("start-up: first neighbours after %.2f s; %s%n", syncSeconds, describe(startUp));
                System.out.printf("window: %.1f s after 5 s of warm-up%n", window);
                long bytes = 0;
                long events = 0;
                for (Map.Entry<String, long[]> entry : after.entrySet()) {
                    long[] was = before.getOrDefault(entry.getKey(), new long[3]);
                    long b = entry.getValue()[1] - was[1];
                    long e = entry.getValue()[2] - was[2];
                    long r = entry.getValue()[0] - was[0];
                    bytes += b;
                    events += e;
                    System.out.printf("  %-60s %8.0f bytes/min %8.1f events/min %5.1f requests/min%n", entry.getKey(),
                            b * 60 / window, e * 60 / window, r * 60 / window);
                }
                System.out.printf("per pod per minute: %.0f bytes (%.2f MiB), %.1f events%n", bytes * 60 / window,
                        bytes * 60 / window / 1048576, events * 60 / window);
                System.out.printf("alternatives, computed from the same cluster (not run): a metadata-only watch of all"
                        + " nodes: %.0f events/min, %.2f MiB/min; a full watch of all nodes: %.0f events/min, %.2f MiB/min%n",
                        updatesPerMinute, updatesPerMinute * api.meanMetadataJsonBytes("nodes") / 1048576,
                        updatesPerMinute, updatesPerMinute * nodeBytes / 1048576);
            }
        }
    }

    /** Requests, bytes and events per selection (path and selectors, without resourceVersion and paging). */
    private static Map<String, long[]> totals(List<Traffic> traffic) {
        Map<String, long[]> totals = new TreeMap<>();
        for (Traffic t : traffic) {
            long[] sums = totals.computeIfAbsent(selection(t), k -> new long[3]);
            sums[0]++;
            sums[1] += t.bytes().get();
            sums[2] += t.events().get();
        }
        return totals;
    }

    private static String selection(Traffic t) {
        String pathAndQuery = java.net.URLDecoder.decode(t.request().pathAndQuery(), java.nio.charset.StandardCharsets.UTF_8);
        int query = pathAndQuery.indexOf('?');
        String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
        StringBuilder selectors = new StringBuilder(t.watch() ? "watch " : "list ").append(path);
        if (query >= 0) {
            for (String parameter : pathAndQuery.substring(query + 1).split("&")) {
                if (parameter.startsWith("fieldSelector=") || parameter.startsWith("labelSelector=")) {
                    selectors.append(' ').append(parameter);
                }
            }
        }
        return selectors.toString();
    }

    private static String describe(Map<String, long[]> totals) {
        long requests = totals.values().stream().mapToLong(s -> s[0]).sum();
        long bytes = totals.values().stream().mapToLong(s -> s[1]).sum();
        return String.format("%d requests, %.1f MiB received until then", requests, bytes / 1048576.0);
    }
}
