package kubenurse.checks.internal;

import java.time.Duration;
import java.util.Arrays;
import kubenurse.checks.internal.http.Observation;
import kubenurse.checks.internal.trace.Trace;

/**
 * How far apart a cycle starts its TLS checks. A full handshake costs us ~10 ms of CPU; ten that start together
 * on one core queue behind each other, and each later one reports that wait as network time. Started a handshake
 * apart, each runs alone. The spacing is the median of the last handshakes' durations (start to done, as the trace
 * sees them: our CPU and the round trips), so it follows the machine, and is bounded so that every TLS check of a
 * cycle starts within the first half of the interval. HTTP checks start together: spreading them was measured to
 * cost CPU and they gain nothing.
 */
final class TlsSpacing {

    /** Before any handshake was seen: about one on a small core. */
    static final Duration INITIAL = Duration.ofMillis(10);
    private static final int KEPT = 16;

    private final Duration interval;
    private final long[] lastNanos = new long[KEPT];
    private int seen;

    TlsSpacing(Duration interval) {
        this.interval = interval;
    }

    /** Takes a run's handshake duration, when it made one. */
    synchronized void observe(Observation observation) {
        Duration start = observation.events().get(Trace.TLS_HANDSHAKE_START);
        Duration done = observation.events().get(Trace.TLS_HANDSHAKE_DONE);
        if (start != null && done != null && done.compareTo(start) >= 0) {
            lastNanos[seen++ % KEPT] = done.minus(start).toNanos();
        }
    }

    /** The spacing for a cycle that starts {@code tlsChecks} TLS checks. */
    synchronized Duration spacing(int tlsChecks) {
        Duration measured = INITIAL;
        if (seen > 0) {
            long[] kept = Arrays.copyOf(lastNanos, Math.min(seen, KEPT));
            Arrays.sort(kept);
            measured = Duration.ofNanos(kept[kept.length / 2]);
        }
        if (tlsChecks < 2) {
            return Duration.ZERO;
        }
        Duration bound = interval.dividedBy(2L * (tlsChecks - 1));
        return measured.compareTo(bound) > 0 ? bound : measured;
    }
}
