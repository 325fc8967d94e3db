package kubenurse.image;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kubenurse.image.fixture.NetnsCluster;

/**
 * Start-up of a ring (bench/ring-startup.sh): NODES namespace nodes (root, iproute2) start their pods together
 * against a stub API server; prints, for each pod, the time from the start until its /alive shows every other
 * node's path "ok" (with the default neighbour limit of 10, every other node is a neighbour), and the slowest.
 * Usage: {@code java -cp ... kubenurse.image.RingStartup NODES RUNS}
 */
final class RingStartup {

    private RingStartup() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        for (int run = 1; run <= runs; run++) {
            Path dir = Files.createTempDirectory("ring-startup");
            try (NetnsCluster cluster = new NetnsCluster(dir, nodes, "5s")) {
                long started = System.nanoTime();
                List<Long> ready = new ArrayList<>();
                for (int n = 0; n < nodes; n++) {
                    ready.add(-1L);
                }
                while (ready.contains(-1L) && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                    for (int n = 0; n < nodes; n++) {
                        if (ready.get(n) < 0 && allPathsOk(http, cluster.url(n) + "/alive", n, nodes)) {
                            // from the exec of that pod's process
                            java.time.Instant exec = cluster.pods.get(n).info().startInstant().orElseThrow();
                            ready.set(n, Duration.between(exec, java.time.Instant.now()).toMillis());
                        }
                    }
                    Thread.sleep(20);
                }
                System.out.printf("run %d, %d nodes, load %s: every other node checked ok after (ms) %s; slowest %d ms%n",
                        run, nodes, Files.readString(Path.of("/proc/loadavg")).split(" ")[0], ready,
                        ready.stream().mapToLong(Long::longValue).max().orElse(-1));
            }
        }
    }

    private static boolean allPathsOk(HttpClient http, String alive, int self, int nodes) {
        try {
            JsonObject results = Json.parse(http.send(HttpRequest.newBuilder(URI.create(alive)).timeout(Duration.ofSeconds(1))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).asObject().get("last_check_result").asObject();
            for (int n = 0; n < nodes; n++) {
                if (n != self && !"ok".equals(results.getString("path_" + NetnsCluster.node(n), ""))) {
                    return false;
                }
            }
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }
}
