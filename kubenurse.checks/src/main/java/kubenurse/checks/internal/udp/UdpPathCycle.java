package kubenurse.checks.internal.udp;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * One cycle of probes to one neighbour, as they are sent and answered: which probe went when, which reply came
 * in time, which twice, which after a later one. The prober's schedule writes the sends, its receiving thread
 * the replies; {@link #finish()} sums up once the last deadline has passed.
 */
final class UdpPathCycle {

    private final String type;
    private final InetSocketAddress target;
    private final long[] sentNanos;
    private final long[] deadlineNanos;
    private final long[] rttNanos;
    private final boolean[] sent;
    private final boolean[] replied;
    private int sentCount;
    private int duplicated;
    private int reordered;
    private int latestReplied = -1;
    private boolean finished;

    UdpPathCycle(String type, InetSocketAddress target, int probes) {
        this.type = type;
        this.target = target;
        this.sentNanos = new long[probes];
        this.deadlineNanos = new long[probes];
        this.rttNanos = new long[probes];
        this.sent = new boolean[probes];
        this.replied = new boolean[probes];
    }

    String type() {
        return type;
    }

    InetSocketAddress target() {
        return target;
    }

    /** Probe {@code index} went out at {@code nowNanos}; a reply after {@code deadlineNanos} counts it lost. */
    synchronized void sent(int index, long nowNanos, long deadlineNanos) {
        if (!sent[index]) {
            sent[index] = true;
            sentCount++;
        }
        sentNanos[index] = nowNanos;
        this.deadlineNanos[index] = deadlineNanos;
    }

    /**
     * A reply to probe {@code index} arrived at {@code nowNanos}, echoing {@code echoedSendNanos}. An echo that is
     * not the send time we recorded is no reply of ours and is ignored; a late reply leaves the probe lost.
     */
    synchronized void replied(int index, long echoedSendNanos, long nowNanos) {
        if (finished || !sent[index] || echoedSendNanos != sentNanos[index]) {
            return;
        }
        if (replied[index]) {
            duplicated++;
            return;
        }
        replied[index] = true;
        if (index < latestReplied) {
            reordered++;
        }
        latestReplied = Math.max(latestReplied, index);
        if (nowNanos - deadlineNanos[index] <= 0) {
            rttNanos[index] = Math.max(1, nowNanos - sentNanos[index]);
        }
    }

    /** Sums the cycle up; replies that come later are ignored. */
    synchronized UdpCycleStats finish() {
        finished = true;
        double[] rtts = new double[rttNanos.length];
        int answered = 0;
        for (int i = 0; i < rttNanos.length; i++) {
            if (rttNanos[i] > 0) {
                rtts[answered++] = rttNanos[i] / 1e9;
            }
        }
        return new UdpCycleStats(type, sentCount, answered, Arrays.copyOf(rtts, answered), duplicated,
                reordered);
    }
}
