package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import kubenurse.testing.StubApiServer;

/**
 * Benchmark part (not a test): the linked image itself, with the heap limit and JVM options it ships with,
 * discovers the stub's cluster. Prints the time to its first neighbour list on /alive and its resident
 * memory (now and peak), so that the shipped heap limit is shown to carry a cluster of this size.
 */
final class ImageUnderLoad {

    private ImageUnderLoad() {
    }

    static void run(Path image, Map<String, String> clusterEnv, int n, StubApiServer api) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(clusterEnv);
        env.put("KUBENURSE_HTTP_PORT", String.valueOf(port));
        env.put("KUBENURSE_CHECK_INTERVAL", "1s");
        String jvmOptions = System.getProperty("bench.jvmOptions", "");
        if (!jvmOptions.isEmpty()) {
            env.put("JDK_JAVA_OPTIONS", jvmOptions); // after the image's own options, so these win
        }
        Path log = Files.createTempFile("kubenurse-bench-image", ".log");
        ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/kubenurse").toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            int expected = Math.min(10, n - 1);
            long deadline = start + Duration.ofMinutes(2).toNanos();
            while (neighbourhood(client, port) < expected) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the image did not list " + expected + " neighbours (alive="
                            + process.isAlive() + "); its log:\n" + Files.readString(log));
                }
                Thread.sleep(20);
            }
            System.out.printf("image %s: first neighbour list on /alive after %.2f s%n", image,
                    (System.nanoTime() - start) / 1e9);
            Thread.sleep(10_000);
            System.out.printf("image after 10 s more: alive=%s, %s; API requests %d%n", process.isAlive(),
                    memory(process.pid()), api.requests().size());
        } finally {
            process.destroy();
            process.waitFor();
            Files.deleteIfExists(log);
        }
    }

    private static int neighbourhood(HttpClient client, int port) throws InterruptedException {
        try {
            HttpResponse<String> alive = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alive"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.parse(alive.body()).asObject().get("neighbourhood").asArray().size();
        } catch (IOException | RuntimeException notYet) {
            return -1;
        }
    }

    private static String memory(long pid) throws IOException {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        return "RSS " + field(status, "VmRSS") + ", peak " + field(status, "VmHWM");
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElse("?");
    }
}
