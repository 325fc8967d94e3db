package kubenurse.image;

import static kubenurse.image.UdpCluster.FAULTY;
import static kubenurse.image.UdpCluster.path;
import static kubenurse.image.UdpCluster.sample;

import java.time.Duration;
import kubenurse.image.UdpFaultRelay.Counts;

/**
 * A checker's counts of the faulty path and the relay's counts of that checker, taken between two of its cycles,
 * so that two of them bound a run of whole cycles on both sides. A cycle sends in its first half and counts its
 * losses at its end; so: sent and the relay's counts in a quiet second half (all of the cycle's probes sent and
 * answered or dropped), and lost once the next cycle has begun (the previous one's losses counted, none of the
 * new one's yet).
 */
record UdpCycleAligned(double sent, double lost, Counts relay) {

    private static final String SENT = "kubenurse_udp_probes_sent_total";
    private static final String LOST = "kubenurse_udp_probes_lost_total";
    /** Far longer than the spacing of a cycle's probes, shorter than the quiet half of a cycle. */
    private static final Duration QUIET = Duration.ofMillis(150);

    static UdpCycleAligned take(UdpCluster cluster, int checker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            double sent = sent(cluster, checker);
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < QUIET.toNanos()) {
                Thread.sleep(10);
                double now = sent(cluster, checker);
                if (now != sent) {
                    sent = now;
                    quietSince = System.nanoTime();
                }
                check(deadline);
            }
            Counts relay = cluster.relay().counts(cluster.ip(checker));
            if (sent(cluster, checker) != sent) {
                continue; // the next cycle began between the two readings: try its quiet half
            }
            while (sent(cluster, checker) == sent) {
                Thread.sleep(5);
                check(deadline);
            }
            // the finished cycle's losses are counted as the next one starts: leave it a moment
            Thread.sleep(100);
            return new UdpCycleAligned(sent, sample(cluster.metrics(checker), LOST, path(FAULTY)), relay);
        }
    }

    private static double sent(UdpCluster cluster, int checker) {
        return sample(cluster.metrics(checker), SENT, path(FAULTY));
    }

    private static void check(long deadline) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("no quiet half of a cycle within 10 s");
        }
    }
}
