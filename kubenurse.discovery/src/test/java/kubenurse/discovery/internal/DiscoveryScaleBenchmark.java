package kubenurse.discovery.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kubenurse.config.Config;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

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
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "api", "IP:127.0.0.1");
        Files.copy(ca.cert(), dir.resolve("ca.crt"));
        Files.writeString(dir.resolve("token"), "bench-token");
        try (StubApiServer api = StubApiServer.start(TestCertificates.serverContext(cert))) {
            api.nodeImages(40);
            api.podAnnotationBytes(4000);
            Map<String, String> labels = Map.of("app.kubernetes.io/name", "kubenurse");
            for (int i = 0; i < n; i++) {
                api.putNode("node-" + i, false, false);
                api.putPod("kube-system", "kubenurse-" + i, "node-" + i, "10." + (i / 65536) + "." + (i / 256 % 256) + "."
                        + (i % 256), "Running", labels, false);
            }
            api.compact(); // the history of building the cluster is not what a new watcher would see
            Map<String, String> env = Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()),
                    "KUBENURSE_SERVICEACCOUNT_DIR", dir.toString(),
                    "KUBENURSE_NAMESPACE", "kube-system",
                    "KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse",
                    "KUBENURSE_POD_NAME", "kubenurse-0",
                    "KUBENURSE_NODE_NAME", "node-0");
            String image = System.getProperty("bench.image", "");
            if (!image.isEmpty()) {
                ImageUnderLoad.run(Path.of(image), env, n, api);
                return;
            }
            Config config = Config.fromEnvironment(env, "bench");
            long before = usedAfterGc();
            long start = System.nanoTime();
            try (KubernetesDiscovery discovery = KubernetesDiscovery.start(config)) {
                while (discovery.snapshot().neighbours().size() < Math.min(10, n - 1)) {
                    Thread.sleep(5);
                }
                double firstListSeconds = (System.nanoTime() - start) / 1e9;
                long retained = usedAfterGc() - before;
                int requestsAtSync = api.requests().size();
                Thread.sleep(Duration.ofSeconds(steadySeconds));
                int steadyRequests = api.requests().size() - requestsAtSync;
                System.out.printf("objects: %d nodes + %d pods (mean JSON size: node %d bytes, pod %d bytes)%n", n, n,
                        api.meanJsonBytes("nodes"), api.meanJsonBytes("pods"));
                System.out.printf("time to first neighbour list: %.2f s%n", firstListSeconds);
                System.out.printf("heap retained by discovery after GC: %.1f MiB = %.0f bytes per object%n",
                        retained / 1048576.0, (double) retained / (2.0 * n));
                System.out.printf("requests to the API server: %d to sync, %d in the next %d s (%.1f per minute)%n",
                        requestsAtSync, steadyRequests, steadySeconds, steadyRequests * 60.0 / steadySeconds);
                // one line for bench/discovery-scale.sh, which fits retained heap against N over several runs
                System.out.printf("result n=%d retained_bytes=%d first_list_s=%.2f%n", n, retained, firstListSeconds);
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
