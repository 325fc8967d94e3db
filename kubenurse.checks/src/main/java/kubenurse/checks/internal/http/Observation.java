package kubenurse.checks.internal.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import kubenurse.checks.CheckResult;

/**
 * What one run of a check saw: its result for /alive and what the metrics record.
 *
 * @param result       ok, skipped, the status line or the error in words
 * @param status       the HTTP status, when a response arrived
 * @param responseTime from sending the request to its response headers, when a response arrived
 * @param elapsed      from sending the request to the result, response or failure
 * @param events       trace events really observed, as time since the request began
 * @param errorEvent   the kubenurse_errors_total event of a failure (a phase, or status_code_N); null when ok
 */
public record Observation(CheckResult result, OptionalInt status, Duration responseTime, Duration elapsed,
        Map<String, Duration> events, String errorEvent) {

    public Observation {
        events = Collections.unmodifiableMap(new LinkedHashMap<>(events)); // in the order they happened
    }

    static Observation skipped(String type) {
        return new Observation(CheckResult.skipped(type), OptionalInt.empty(), null, Duration.ZERO, Map.of(), null);
    }

    public boolean skippedRun() {
        return result.isSkipped();
    }
}
