package kubenurse.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kubenurse.image.fixture.MetricsText;
import kubenurse.image.fixture.NetnsCluster;
import kubenurse.image.fixture.ProcStatus;

/**
 * Start-up of a ring (bench/ring-startup.sh): NODES namespace nodes (root, iproute2) start their pods together
 * against a stub API server; prints, for each pod, the time from its exec until it has checked every other node's
 * path with a 200 (with the default neighbour limit of 10, every other node is a neighbour), and the slowest.
 * A pod is listed Ready once its /ready answers, probed every 200 ms (-Dring.readiness.probe.ms; 0 lists every
 * pod Ready from the start, before it listens). Progress is read from each pod's log at debug level (its
 * {@code event=check_done} lines; -Dring.progress=log, the default), which costs the pod nothing but the lines, or
 * from its /metrics (-Dring.progress=metrics), which starts no cycle but costs the starting pod a render per read
 * (/alive would start a cycle every 3 s and hide when the schedule itself gets to a neighbour).
 * Usage: {@code java -cp ... kubenurse.image.RingStartup NODES RUNS}
 */
final class RingStartup {

    /**
     * Runs before the counted ones (-Dring.warmup.runs, default 1): this JVM (the stub API server, the readiness
     * prober, the progress reads) starts cold, and its JIT compilers alone then used 2-4 s of CPU during a ring,
     * CPU that the five pods on the same two cores lack and that no API server or kubelet takes from a node.
     */
    private static final int WARM_UP_RUNS = Integer.getInteger("ring.warmup.runs", 1);

    /** Where progress is read: "log" (each pod's log, at debug level) or "metrics" (each pod's /metrics). */
    private static final String PROGRESS = System.getProperty("ring.progress", "log");
    /** How often each pod's progress is read (-Dring.poll.ms): a /metrics read costs the pod CPU while it starts. */
    private static final Duration POLL = Duration.ofMillis(Long.getLong("ring.poll.ms", 50));
    /** A debug line of a check of another node's path that succeeded. */
    private static final Pattern PATH_OK = Pattern.compile("event=check_done type=\"?path_(node-[a-z0-9-]+)\"? result=\"ok\"");

    private RingStartup() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long probeMillis = Long.parseLong(System.getProperty("ring.readiness.probe.ms", "200"));
        Duration probePeriod = probeMillis == 0 ? null : Duration.ofMillis(probeMillis);
        Map<String, String> env = new HashMap<>(Map.of("KUBENURSE_CHECK_INTERVAL", "5s"));
        boolean fromLog = switch (PROGRESS) {
            case "log" -> true;
            case "metrics" -> false;
            default -> throw new IllegalArgumentException("ring.progress=" + PROGRESS + ": accepted are log and metrics");
        };
        if (fromLog) {
            env.put("KUBENURSE_LOG_LEVEL", "debug");
        }
        String jvmOptions = System.getProperty("ring.jvm.options", "");
        if (!jvmOptions.isBlank()) {
            env.put("JDK_JAVA_OPTIONS", jvmOptions);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        for (int run = 1 - WARM_UP_RUNS; run <= runs; run++) {
            Path dir = Files.createTempDirectory("ring-startup");
            long harnessBefore = ProcStatus.cpuMillis(ProcessHandle.current().pid());
            try (NetnsCluster cluster = new NetnsCluster(dir, nodes, env, probePeriod)) {
                long started = System.nanoTime();
                List<Long> done = new ArrayList<>(Collections.nCopies(nodes, -1L));
                List<Long> cpu = new ArrayList<>(Collections.nCopies(nodes, -1L));
                String podA = "";
                while (done.contains(-1L) && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
                    for (int n = 0; n < nodes; n++) {
                        if (done.get(n) < 0 && (fromLog ? everyPathLoggedOk(dir.resolve("pod-" + n + ".log"), n, nodes)
                                : everyPathAnswered(http, cluster.url(n) + "/metrics", n, nodes))) {
                            Instant exec = cluster.pods.get(n).info().startInstant().orElseThrow();
                            done.set(n, Duration.between(exec, Instant.now()).toMillis());
                            cpu.set(n, ProcStatus.cpuMillis(cluster.jvm(n).pid()));
                            if (n == 0) {
                                podA = cpuByThread(cluster.jvm(n));
                            }
                        }
                    }
                    Thread.sleep(POLL);
                }
                String label = run < 1 ? "warm-up (not counted)" : "run " + run;
                System.out.printf("%s, %d nodes, readiness probe %d ms, progress from %s, load %s: every other node checked ok"
                        + " after (ms) %s; slowest %d ms%n", label, nodes, probeMillis, PROGRESS, Files.readString(Path.of("/proc/loadavg")).split(" ")[0],
                        done, done.stream().mapToLong(Long::longValue).max().orElse(-1));
                System.out.printf("%s: CPU each JVM had used by then (ms) %s; pod-a's by thread: %s%n", label, cpu, podA);
                System.out.printf("%s: this JVM (stub API server, readiness prober, progress reads) used %d ms of CPU from the cluster's set-up to here: %s%n",
                        label, ProcStatus.cpuMillis(ProcessHandle.current().pid()) - harnessBefore, cpuByThread(ProcessHandle.current()));
            }
        }
    }

    /** True once the pod's log holds a check of every other node's path that succeeded. */
    private static boolean everyPathLoggedOk(Path log, int self, int nodes) {
        Set<String> ok = new HashSet<>();
        try {
            Matcher lines = PATH_OK.matcher(Files.readString(log));
            while (lines.find()) {
                ok.add(lines.group(1));
            }
        } catch (IOException notYet) {
            return false;
        }
        return IntStream.range(0, nodes).filter(n -> n != self).allMatch(n -> ok.contains(NetnsCluster.node(n)));
    }

    /** True once the pod's metrics count a 200 for every other node's path check. */
    private static boolean everyPathAnswered(HttpClient http, String metrics, int self, int nodes) {
        String text;
        try {
            text = http.send(HttpRequest.newBuilder(URI.create(metrics)).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException notYet) {
            return false;
        }
        MetricsText samples = MetricsText.parse(text);
        for (int n = 0; n < nodes; n++) {
            String type = "type=\"path_" + NetnsCluster.node(n) + "\"";
            if (n != self && samples.of("kubenurse_httpclient_requests_total", type, "code=\"200\"").values().stream()
                    .noneMatch(count -> count > 0)) {
                return false;
            }
        }
        return true;
    }

    /** CPU time (ms) of a process by thread name, digits dropped (the C1 compiler threads are one entry), largest first. */
    private static String cpuByThread(ProcessHandle jvm) {
        Map<String, Long> byName = new TreeMap<>();
        try {
            for (ProcStatus.ProcThread thread : ProcStatus.threads(jvm.pid())) {
                byName.merge(thread.name().replaceAll("[0-9]+", "#"), thread.cpuMillis(), Long::sum);
            }
        } catch (IOException gone) {
            return "?";
        }
        return byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
