package kubenurse.checks.internal.verdict;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kubenurse.checks.Verdict;
import kubenurse.config.VerdictSettings;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * What a verdict costs one pod in a cluster of N pods (bench/verdict-cost.sh): the CPU of a judgement after a new
 * discovery snapshot (the ring sorted once, first-seen times updated), of one with the same snapshot (every other
 * cycle), and the heap the judge keeps. Usage: {@code java -cp ... VerdictCostBenchmark N K ROUNDS}
 */
final class VerdictCostBenchmark {

    private VerdictCostBenchmark() {
    }

    public static void main(String[] args) {
        int pods = Integer.parseInt(args[0]);
        int limit = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Neighbours> snapshots = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Neighbour> eligible = new ArrayList<>();
            for (int i = 1; i < pods; i++) {
                // the second snapshot differs by one pod, as after one pod of a rollout became Ready
                String node = "node-" + (s == 1 && i == 1 ? "replaced" : i);
                eligible.add(new Neighbour("kubenurse-" + i, "10.1." + (i / 250) + "." + (i % 250), "192.168.0.1", node, "Running"));
            }
            snapshots.add(new Neighbours(eligible.subList(0, Math.min(limit, eligible.size())), eligible, true));
        }
        Set<String> heard = new HashSet<>();
        snapshots.get(0).eligible().subList(0, 100).forEach(pod -> heard.add(pod.podName()));
        VerdictJudge judge = new VerdictJudge(VerdictSettings.defaults(), "node-0", limit, false, Duration.ofSeconds(5), 0);
        long[] changed = new long[rounds];
        long[] same = new long[rounds];
        Verdict last = null;
        for (int round = 0; round < rounds; round++) {
            long now = (round + 10L) * 5_000_000_000L;
            long start = threads.getCurrentThreadCpuTime();
            last = judge.judge(now, snapshots.get(round % 2), heard, limit, List.of());
            changed[round] = threads.getCurrentThreadCpuTime() - start;
            start = threads.getCurrentThreadCpuTime();
            last = judge.judge(now + 1, snapshots.get(round % 2), heard, limit, List.of());
            same[round] = threads.getCurrentThreadCpuTime() - start;
        }
        long withJudge = usedHeap();
        int expected = last.expectedCheckers();
        String window = judge.window().toString();
        judge = null;
        last = null;
        long kept = withJudge - usedHeap();
        System.out.printf("pods=%d K=%d rounds=%d: judgement after a new snapshot: median %.3f ms CPU (p90 %.3f, first %.3f);"
                + " with the same snapshot: median %.4f ms; heap kept by the judge: %.2f MiB (%d bytes/pod); expected=%d%n",
                pods, limit, rounds, median(changed) / 1e6, percentile(changed, 0.9) / 1e6, changed[0] / 1e6,
                median(same) / 1e6, kept / 1048576.0, kept / pods, expected);
        System.out.println("window " + window);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }
}
