package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import kubenurse.discovery.NodeReports.Kind;

/**
 * The writes of each kind that failed or were dropped: counted for the metric, and logged as one warning per
 * kind a minute at most (the others at debug), so that an API server refusing every write for an hour gives 60
 * lines, not thousands. Thread-safe.
 */
final class ReportFailures {

    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    /** When each kind may log its next warning (nanoTime); absent before its first. */
    private final Map<Kind, AtomicLong> nextWarning = new EnumMap<>(Kind.class);
    private final LongSupplier nanoTime;

    ReportFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
            nextWarning.put(kind, new AtomicLong(nanoTime.getAsLong()));
        }
    }

    /**
     * Counts one failed or dropped write of {@code kind}.
     *
     * @param details key=value pairs of what was written and what went wrong, values already quoted
     */
    void failed(Kind kind, String details) {
        long total = counts.get(kind).incrementAndGet();
        AtomicLong next = nextWarning.get(kind);
        long now = nanoTime.getAsLong();
        long due = next.get();
        boolean warn = now - due >= 0 && next.compareAndSet(due, now + LOG_INTERVAL.toNanos());
        String line = "event=node_report_failed kind=" + kind.label() + " " + details + " failures=" + total;
        if (warn) {
            LOG.log(Level.WARNING, line + " next_warning_in=" + LOG_INTERVAL.toSeconds() + "s");
        } else {
            LOG.log(Level.DEBUG, () -> line);
        }
    }

    long count(Kind kind) {
        return counts.get(kind).get();
    }
}
