package kubenurse.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubenurse.image.fixture.MetricsText;
import kubenurse.image.fixture.ProcStatus;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.StubCluster;
import kubenurse.testing.TestCluster;

/**
 * What the UDP probe costs (bench/udp-cost.sh): the linked image against a stub API server, with its neighbours'
 * pod IPs on loopback (127.0.0.2 ...), where the image itself answers both the path checks and the UDP probes;
 * run once with KUBENURSE_CHECK_UDP=false and once with true, same neighbours, same interval. CPU per probe is the
 * difference of the two runs' CPU over the probes sent, and so covers both ends of a probe: sending it and
 * timing its reply, and answering it, as every pod does for each neighbour that probes it.
 * Usage: UdpCostBenchmark SECONDS NEIGHBOURS PROBES INTERVAL (e.g. 120 10 20 5s)
 */
public final class UdpCostBenchmark {


    private UdpCostBenchmark() {
    }

    private record Run(double cpuSeconds, double seconds, long rssKib, long peakKib, double probes, double lost) {
    }

    public static void main(String[] args) throws Exception {
        Duration window = Duration.ofSeconds(Long.parseLong(args[0]));
        int neighbours = Integer.parseInt(args[1]);
        String probes = args[2];
        String interval = args[3];
        Path dir = Files.createTempDirectory("udp-cost");
        try (TestCluster cluster = StubCluster.onLoopback(neighbours).start(dir)) {
            Map<String, String> env = cluster.environmentFor("pod-a", "node-a");
            env.put("KUBENURSE_NEIGHBOUR_LIMIT", String.valueOf(neighbours));
            env.put("KUBENURSE_CHECK_INTERVAL", interval);
            env.put("KUBENURSE_UDP_PROBES", probes);
            System.out.printf("%d neighbours on loopback, %s probes each per %s, %d s per run after 30 s of warm-up%n",
                    neighbours, probes, interval, window.toSeconds());
            Run off = run(env, "false", window);
            Run on = run(env, "true", window);
            for (Run run : List.of(off, on)) {
                System.out.printf("UDP %-3s: CPU %.2f s in %.0f s = %.2f %% of a core; RSS %d KiB (peak %d KiB); probes sent %.0f, "
                        + "lost %.0f%n", run == off ? "off" : "on", run.cpuSeconds(), run.seconds(),
                        100 * run.cpuSeconds() / run.seconds(), run.rssKib(), run.peakKib(), run.probes(), run.lost());
            }
            double extra = on.cpuSeconds() / on.seconds() - off.cpuSeconds() / off.seconds();
            double perSecond = on.probes() / on.seconds();
            double perProbe = extra / perSecond;
            System.out.printf("UDP probe: %.1f probes a second cost %.2f %% of a core more: %.1f us CPU per probe (sent, "
                    + "answered, timed); RSS %+d KiB (peak %+d KiB)%n", perSecond, 100 * extra, 1e6 * perProbe,
                    on.rssKib() - off.rssKib(), on.peakKib() - off.peakKib());
            double cycles = off.seconds() / seconds(interval);
            System.out.printf("beside it, the HTTP side (UDP off): %.1f ms CPU per %s cycle (%d path checks, API and me_service "
                    + "checks, discovery, serving the image's own path checks)%n", 1e3 * off.cpuSeconds() / cycles, interval,
                    neighbours);
            // each pod sends as many probes as it answers (every neighbour probes it back): one "probe" here is both
            System.out.printf("at the defaults (10 neighbours, 20 probes each per 5s: 40 a second): %.3f %% of a core%n",
                    100 * perProbe * 40);
            if (on.lost() > 0) {
                System.out.println("WARNING: probes lost on loopback: all of them come from one source address here, "
                        + "and more than the responder's per-source limit (200/s, burst 100) were sent: lower probes "
                        + "or neighbours, or lengthen the interval");
            }
        }
    }

    private static Run run(Map<String, String> env, String udp, Duration window) throws Exception {
        Map<String, String> mine = new LinkedHashMap<>(env);
        mine.put("KUBENURSE_CHECK_UDP", udp);
        try (RunningImage image = RunningImage.start(mine, List.of())) {
            image.awaitAlive(Duration.ofSeconds(30));
            Thread.sleep(30_000);
            long pid = image.process.pid();
            double cpuBefore = ProcStatus.cpuMillis(pid) / 1e3;
            double[] before = counts(image);
            long start = System.nanoTime();
            Thread.sleep(window);
            double cpu = ProcStatus.cpuMillis(pid) / 1e3 - cpuBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] after = counts(image);
            if (!image.process.isAlive()) {
                throw new IllegalStateException("the image ended early:\n" + image.output());
            }
            return new Run(cpu, seconds, status(pid, "VmRSS"), status(pid, "VmHWM"), after[0] - before[0], after[1] - before[1]);
        }
    }

    /** Seconds in a duration of the forms this benchmark takes: "5s", "500ms". */
    private static double seconds(String duration) {
        return duration.endsWith("ms") ? Double.parseDouble(duration.replace("ms", "")) / 1e3
                : Double.parseDouble(duration.replace("s", ""));
    }

    private static double[] counts(RunningImage image) throws Exception {
        MetricsText metrics = MetricsText.parse(image.get("/metrics").body());
        return new double[] {sum(metrics, "kubenurse_udp_probes_sent_total"), sum(metrics, "kubenurse_udp_probes_lost_total")};
    }

    private static double sum(MetricsText metrics, String name) {
        return metrics.of(name).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** A /proc/PID/status field in kB (VmRSS, VmHWM). */
    private static long status(long pid, String key) {
        return Long.parseLong(ProcStatus.field(pid, key).replaceAll("\\D", ""));
    }
}
