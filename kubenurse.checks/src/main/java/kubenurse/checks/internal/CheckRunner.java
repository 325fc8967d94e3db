package kubenurse.checks.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import kubenurse.checks.CheckResult;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.Observation;
import kubenurse.config.LogValue;

/** Runs a check once: records its observation in the metrics and turns a crash into a result. */
final class CheckRunner {

    private static final Logger LOG = System.getLogger("kubenurse.checks");
    /**
     * The userinfo of a URL within an error text: our words name hosts only, but a root cause's message is
     * the JDK's, and a password must not reach the log through it.
     */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s@]*@");

    private final CheckMetrics metrics;
    private final BooleanSupplier stopping;
    private final TlsSpacing tlsSpacing;

    /**
     * @param stopping   true once close() began: runs it cuts short are no finding about the network
     * @param tlsSpacing told each run's handshake duration
     */
    CheckRunner(CheckMetrics metrics, BooleanSupplier stopping, TlsSpacing tlsSpacing) {
        this.metrics = metrics;
        this.stopping = stopping;
        this.tlsSpacing = tlsSpacing;
    }

    /** The check's result, or empty when close() cut the run short: then neither counted nor logged. */
    Optional<CheckResult> run(Check check) {
        CheckResult result;
        Observation observation = null;
        try {
            observation = check.run();
            result = observation.result();
            if (stopping.getAsBoolean()) {
                return Optional.empty();
            }
            metrics.record(check.type(), observation);
            tlsSpacing.observe(observation);
            if (observation.errorEvent() != null) {
                logFailure(check.type(), observation);
            }
        } catch (RuntimeException bug) {
            LOG.log(Level.ERROR, "event=check_crashed type=" + check.type() + " error=" + LogValue.quote(bug));
            result = new CheckResult(check.type(), "internal error: " + bug);
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "event=check_done type=" + check.type() + " result=" + LogValue.quote(result.outcome())
                    + (observation != null ? timing(observation) : ""));
        }
        return Optional.of(result);
    }

    /**
     * One line per failed run, as upstream logs every failed request: a check broken from its first run
     * never changes state, so the state change lines alone would never show it.
     */
    private static void logFailure(String type, Observation observation) {
        String words = USERINFO.matcher(observation.result().outcome()).replaceAll("$1<redacted>@");
        LOG.log(Level.ERROR, "event=check_failed type=" + type + " trace_event=" + observation.errorEvent()
                + " error=" + LogValue.quote(words));
    }

    /** The durations the metrics recorded, in milliseconds, for a debug log line. */
    private static String timing(Observation observation) {
        if (observation.skippedRun()) {
            return "";
        }
        String response = observation.responseTime() == null ? "" : " response_ms=" + millis(observation.responseTime());
        return response + " elapsed_ms=" + millis(observation.elapsed());
    }

    /**
     * Milliseconds with three decimals, rounded half up (what {@code %.3f} wrote, at a fraction of its cost: the
     * line is written for every check at debug level, which the side-by-side benchmark runs at).
     */
    static String millis(Duration duration) {
        long micros = (duration.toNanos() + 500) / 1_000;
        String fraction = Long.toString(1_000 + micros % 1_000);
        return micros / 1_000 + "." + fraction.substring(1);
    }
}
