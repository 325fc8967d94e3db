package kubenurse.discovery.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kubenurse.config.Config;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCluster;

/**
 * Benchmark (not a test): discovery against a stub API server holding N nodes (with status.images, as real
 * nodes) and N kubenurse pods. Prints the time to the first neighbour list, the heap in use after GC minus
 * the heap in use before discovery started (discovery's fixed cost plus what it keeps per object), and the
 * requests it makes to the API server per minute at steady state. One N per run: bench/discovery-scale.sh
 * runs several and fits the slope, since one total divided by N is mostly fixed cost and GC noise.
 * Run with bench/discovery-scale.sh.
 */
public final class DiscoveryScaleBenchmark {

    private DiscoveryScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int steadySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("kubenurse-bench");
        try (TestCluster cluster = TestCluster.builder().token("bench-token")
                .beforeObjects(api -> {
                    api.nodeImages(40);
                    api.podAnnotationBytes(4000);
                })
                .withPodsOnNodes(n, i -> new TestCluster.Pod("kubenurse-" + i, "node-" + i, TestCluster.podIp10(i)))
                .start(dir)) {
            StubApiServer api = cluster.api();
            api.compact(); // the history of building the cluster is not what a new watcher would see
            Map<String, String> env = cluster.environmentFor("kubenurse-0", "node-0");
            String image = System.getProperty("bench.image", "");
            if (!image.isEmpty()) {
                ImageUnderLoad.run(Path.of(image), env, n, api);
                return;
            }
            Config config = Config.fromEnvironment(env, "bench");
            long before = liveBytes();
            long start = System.nanoTime();
            KubernetesDiscovery discovery = KubernetesDiscovery.start(config);
            while (discovery.snapshot().neighbours().size() < Math.min(10, n - 1)) {
                Thread.sleep(5);
            }
            double firstListSeconds = (System.nanoTime() - start) / 1e9;
            long retained = liveBytes() - before;
            int requestsAtSync = api.requests().size();
            Thread.sleep(Duration.ofSeconds(steadySeconds));
            int steadyRequests = api.requests().size() - requestsAtSync;
            discovery.close();
            System.out.printf("objects: %d nodes + %d pods (mean JSON size: node %d bytes, pod %d bytes)%n", n, n,
                    api.meanJsonBytes("nodes"), api.meanJsonBytes("pods"));
            System.out.printf("time to first neighbour list: %.2f s%n", firstListSeconds);
            System.out.printf("live heap: %.2f MiB more than before discovery started%n", retained / 1048576.0);
            System.out.printf("requests to the API server: %d to sync, %d in the next %d s (%.1f per minute)%n",
                    requestsAtSync, steadyRequests, steadySeconds, steadyRequests * 60.0 / steadySeconds);
            // one line for bench/discovery-scale.sh, which fits retained heap against N over several runs
            System.out.printf("result n=%d retained_bytes=%d first_list_s=%.2f%n", n, retained, firstListSeconds);
        }
    }

    /**
     * The bytes of all live objects, as the JDK's class histogram counts them after its full collection. The
     * heap in use after System.gc() (Runtime's total minus free) was no measure: with the same live objects
     * (the histograms of two runs agree to the byte) it differed by up to 6 MiB from run to run, and even the
     * histogram's total counts filler arrays (dead space, up to 34 MiB here), which are left out. The histogram
     * comes from the platform's DiagnosticCommand MBean, reached by reflection because the tests compile in
     * the module (which does not read java.management) while the benchmark runs on the class path; jcmd
     * would do the same but attaches through a socket in /tmp.
     */
    private static long liveBytes() throws Exception {
        Thread.sleep(2000); // the watches opened after the lists settle, the stub has written its last page
        Object server = Class.forName("java.lang.management.ManagementFactory").getMethod("getPlatformMBeanServer")
                .invoke(null);
        Class<?> objectName = Class.forName("javax.management.ObjectName");
        Object command = objectName.getConstructor(String.class).newInstance("com.sun.management:type=DiagnosticCommand");
        String histogram = (String) Class.forName("javax.management.MBeanServerConnection")
                .getMethod("invoke", objectName, String.class, Object[].class, String[].class)
                .invoke(server, command, "gcClassHistogram", new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
        // the rows "n: instances bytes class"; filler arrays are dead space the heap keeps parsable, not objects
        return histogram.lines().map(String::trim).filter(l -> l.matches("\\d+:.*"))
                .filter(l -> !l.contains("jdk.internal.vm.FillerElement"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[2])).sum();
    }
}
