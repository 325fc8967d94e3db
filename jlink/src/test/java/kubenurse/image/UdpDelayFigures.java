package kubenurse.image;

import static kubenurse.image.UdpCluster.FAULTY;
import static kubenurse.image.UdpCluster.path;
import static kubenurse.image.UdpCluster.sample;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Round-trip figures of the checkers' paths to the faulty node over a window: the mean from the RTT histogram's
 * sum and count, the delay the relay really added to a round trip by its own clock (set: 100 ms; more when this
 * machine wakes it late), and the distinct cycles' p50 and jitter from /alive; beside them, from the same checker in the
 * same cycles, the same figures of its direct path to the other checker, which no relay slows: what this
 * machine's scheduling adds to any round trip.
 */
record UdpDelayFigures(double[] mean, double[] relayAdded, double[] medianP50, double[] minP50, double[] maxP50,
        double[] medianJitter, double[] maxJitter, int[] cycles, double[] directMean, double[] directMedianJitter) {

    private static final String SUM = "kubenurse_udp_rtt_seconds_sum";
    private static final String COUNT = "kubenurse_udp_rtt_seconds_count";

    static UdpDelayFigures measure(UdpCluster cluster, int[] checkers, Duration window) throws InterruptedException {
        int k = checkers.length;
        double[][] before = new double[2 * k][];
        UdpFaultRelay.Counts[] relayBefore = new UdpFaultRelay.Counts[k];
        UdpFaultRelay.Held[] heldBefore = new UdpFaultRelay.Held[k];
        for (int i = 0; i < k; i++) {
            relayBefore[i] = cluster.relay().counts(cluster.ip(checkers[i]));
            heldBefore[i] = cluster.relay().held(cluster.ip(checkers[i]));
            Map<String, Double> metrics = cluster.metrics(checkers[i]);
            before[i] = sumAndCount(metrics, path(FAULTY));
            before[k + i] = sumAndCount(metrics, path(other(checkers, i)));
        }
        List<List<double[]>> seen = new ArrayList<>();
        for (int i = 0; i < 2 * k; i++) {
            seen.add(new ArrayList<>());
        }
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 2 * k; i++) {
                JsonObject udp = cluster.udp(checkers[i % k]);
                JsonValue entry = udp == null ? null : udp.get(path(i < k ? FAULTY : other(checkers, i - k)));
                if (entry != null && entry.asObject().get("rtt_p50_seconds").isNumber()
                        && entry.asObject().get("jitter_seconds").isNumber()) {
                    double[] cycle = {entry.asObject().getDouble("rtt_p50_seconds", 0),
                        entry.asObject().getDouble("jitter_seconds", 0)};
                    List<double[]> mine = seen.get(i);
                    // /alive shows the last completed cycle until the next completes: one entry per cycle
                    if (mine.isEmpty() || !Arrays.equals(mine.get(mine.size() - 1), cycle)) {
                        mine.add(cycle);
                    }
                }
            }
            Thread.sleep(200);
        }
        double[] mean = new double[k];
        double[] relayAdded = new double[k];
        double[] medianP50 = new double[k];
        double[] minP50 = new double[k];
        double[] maxP50 = new double[k];
        double[] medianJitter = new double[k];
        double[] maxJitter = new double[k];
        int[] cycles = new int[k];
        double[] directMean = new double[k];
        double[] directMedianJitter = new double[k];
        for (int i = 0; i < k; i++) {
            Map<String, Double> metrics = cluster.metrics(checkers[i]);
            double[] after = sumAndCount(metrics, path(FAULTY));
            mean[i] = (after[0] - before[i][0]) / (after[1] - before[i][1]);
            relayAdded[i] = cluster.relay().held(cluster.ip(checkers[i])).minus(heldBefore[i])
                    .perRoundTrip(cluster.relay().counts(cluster.ip(checkers[i])).minus(relayBefore[i]));
            double[] direct = sumAndCount(metrics, path(other(checkers, i)));
            directMean[i] = (direct[0] - before[k + i][0]) / (direct[1] - before[k + i][1]);
            double[] directJitter = seen.get(k + i).stream().mapToDouble(c -> c[1]).sorted().toArray();
            directMedianJitter[i] = directJitter.length == 0 ? Double.NaN : directJitter[directJitter.length / 2];
            double[] p50 = seen.get(i).stream().mapToDouble(c -> c[0]).sorted().toArray();
            double[] jitter = seen.get(i).stream().mapToDouble(c -> c[1]).sorted().toArray();
            if (p50.length == 0) {
                throw new AssertionError("no cycle with RTTs from " + UdpCluster.node(checkers[i]) + cluster.logs());
            }
            cycles[i] = p50.length;
            medianP50[i] = p50[p50.length / 2];
            minP50[i] = p50[0];
            maxP50[i] = p50[p50.length - 1];
            medianJitter[i] = jitter[jitter.length / 2];
            maxJitter[i] = jitter[jitter.length - 1];
        }
        return new UdpDelayFigures(mean, relayAdded, medianP50, minP50, maxP50, medianJitter, maxJitter, cycles, directMean,
                directMedianJitter);
    }

    /** The checker that is not {@code checkers[i]} (there are two). */
    private static int other(int[] checkers, int i) {
        return checkers[1 - i];
    }

    private static double[] sumAndCount(Map<String, Double> metrics, String type) {
        return new double[] {sample(metrics, SUM, type), sample(metrics, COUNT, type)};
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < mean.length; i++) {
            out.append(String.format("checker %d: RTT mean %.2f ms (the relay added %.2f ms), p50 median %.2f ms (%.2f to "
                    + "%.2f over %d cycles), jitter median %.3f ms (max %.3f); its direct path: RTT mean %.3f ms, jitter "
                    + "median %.3f ms; ", i, mean[i] * 1e3, relayAdded[i] * 1e3, medianP50[i] * 1e3, minP50[i] * 1e3, maxP50[i] * 1e3, cycles[i], medianJitter[i] * 1e3,
                    maxJitter[i] * 1e3, directMean[i] * 1e3, directMedianJitter[i] * 1e3));
        }
        return out.toString().strip();
    }
}
