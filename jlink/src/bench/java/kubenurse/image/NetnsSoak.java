package kubenurse.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import kubenurse.image.fixture.LiveClients;
import kubenurse.image.fixture.NetnsCluster;
import kubenurse.image.fixture.ProcStatus;

/**
 * A soak of a healthy namespace cluster (bench/netns-soak.sh): three nodes, each running the linked image as its
 * pod, checking every second, for SECONDS; prints every pod's VmRSS, threads and fds every minute, and at the end
 * the java.net.http clients each can still reach (jcmd class histograms).
 * Usage: {@code java -cp ... kubenurse.image.NetnsSoak SECONDS [REPORT_EVERY_SECONDS]} as root (ip netns).
 */
final class NetnsSoak {

    private NetnsSoak() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("netns-soak");
        try (NetnsCluster cluster = new NetnsCluster(dir, 3, "1s")) {
            Thread.sleep(5_000);
            System.out.printf("machine: %d cores; %s; netns soak of %d s: 3 nodes, checks every 1 s (API server direct"
                    + " and by name over TLS, 2 neighbours each)%n", Runtime.getRuntime().availableProcessors(), Instant.now(), seconds);
            long start = System.nanoTime();
            for (int elapsed = 0; elapsed <= seconds; elapsed += every) {
                Thread.sleep(Math.max(0, elapsed * 1000L - (System.nanoTime() - start) / 1_000_000));
                StringBuilder line = new StringBuilder(String.format("%5d s, load %s:", elapsed, load()));
                for (int n = 0; n < 3; n++) {
                    long pid = cluster.jvm(n).pid();
                    line.append(String.format(" pod-%c RSS %s threads %s fds %d;", 'a' + n, ProcStatus.field(pid, "VmRSS"),
                            ProcStatus.field(pid, "Threads"), ProcStatus.openFds(pid)));
                }
                System.out.println(line);
            }
            for (int n = 0; n < 3; n++) {
                System.out.printf("pod-%c at the end: %s (checks: api_server_direct, api_server_dns, 2 neighbours; discovery)%n",
                        'a' + n, LiveClients.of(cluster.jvm(n)));
            }
        }
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
