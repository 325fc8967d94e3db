package kubenurse.discovery.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the node reports are written: the time each request may take, how many writes may wait, how long a repeat
 * counts as the same Event, and the clock of the timestamps written. Production uses {@link #DEFAULT}; tests
 * shorten the times and set the clock.
 *
 * @param requestTimeout each request to the API server, connection included, whole answer read
 * @param queueCapacity  writes waiting at most; more are dropped (and counted) so that a hung API server costs
 *                       memory for this many and never makes a caller wait
 * @param seriesWindow   a repeat of an Event within this time after its last write updates its count
 * @param clock          the Events' and the condition's timestamps
 */
record ReportSettings(Duration requestTimeout, int queueCapacity, Duration seriesWindow, Clock clock) {

    /**
     * 5 s: an API server answers a write in milliseconds; as long as the checks' own dial timeout. 64 writes: at
     * the default 20 Events a minute, more than three minutes of Events while the API server hangs. 10 min: the
     * kubelet's recorder aggregates similar Events over the same time (its EventCorrelator's default interval).
     */
    static final ReportSettings DEFAULT = new ReportSettings(Duration.ofSeconds(5), 64, Duration.ofMinutes(10),
            Clock.systemUTC());

    ReportSettings {
        Objects.requireNonNull(clock, "clock");
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be 1 or more: " + queueCapacity);
        }
        if (seriesWindow == null || seriesWindow.isNegative() || seriesWindow.isZero()) {
            throw new IllegalArgumentException("series window must be positive: " + seriesWindow);
        }
    }
}
