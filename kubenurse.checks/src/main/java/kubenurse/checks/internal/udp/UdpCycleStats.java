package kubenurse.checks.internal.udp;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * What one cycle of probes to one neighbour came to.
 *
 * @param type        path_NODE
 * @param sent        probes sent
 * @param answered    probes answered in time
 * @param rttSeconds  the round-trip times of the answered probes, in the order the probes were sent
 * @param duplicated  replies to a probe already answered
 * @param reordered   replies that came after the reply to a later probe
 */
record UdpCycleStats(String type, int sent, int answered, double[] rttSeconds, int duplicated, int reordered) {

    UdpCycleStats {
        rttSeconds = rttSeconds.clone();
    }

    int lost() {
        return sent - answered;
    }

    /** The median by nearest rank (the lower of the two middle values of an even count): always a measured value. */
    OptionalDouble p50() {
        if (rttSeconds.length == 0) {
            return OptionalDouble.empty();
        }
        double[] sorted = rttSeconds.clone();
        Arrays.sort(sorted);
        return OptionalDouble.of(sorted[(sorted.length - 1) / 2]);
    }

    /**
     * The mean absolute difference of consecutive round-trip times (in send order, lost probes skipped), as RFC 3550
     * defines jitter before its smoothing: a constant delay adds none, however long.
     */
    OptionalDouble jitter() {
        if (rttSeconds.length < 2) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 1; i < rttSeconds.length; i++) {
            sum += Math.abs(rttSeconds[i] - rttSeconds[i - 1]);
        }
        return OptionalDouble.of(sum / (rttSeconds.length - 1));
    }

    @Override
    public double[] rttSeconds() {
        return rttSeconds.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UdpCycleStats o && type.equals(o.type) && sent == o.sent && answered == o.answered
                && Arrays.equals(rttSeconds, o.rttSeconds) && duplicated == o.duplicated && reordered == o.reordered;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(rttSeconds);
    }

    @Override
    public String toString() {
        return "UdpCycleStats[type=" + type + ", sent=" + sent + ", answered=" + answered + ", rtt="
                + Arrays.toString(rttSeconds) + ", duplicated=" + duplicated + ", reordered=" + reordered + "]";
    }
}
