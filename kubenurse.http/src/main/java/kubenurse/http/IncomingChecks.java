package kubenurse.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import kubenurse.checks.HeardCheckers;
import kubenurse.http.internal.IncomingOrigins;

/**
 * Remembers which neighbours checked us (the KUBENURSE-NEIGHBOUR-ORIGIN header of /alwayshappy) and exports how
 * many distinct ones did so in the last 60 s as kubenurse_neighbourhood_incoming_checks. With a neighbour limit
 * K this reads K on every pod when the hash ring is healthy; the verdicts ask it who was heard. Any client can send the header, so only values
 * shaped like a pod name are recorded, and a bounded number of them.
 */
public interface IncomingChecks extends HeardCheckers {

    /** The header in which a neighbour's check names its pod ({@link kubenurse.checks.Checker#ORIGIN_HEADER}). */
    String ORIGIN_HEADER = kubenurse.checks.Checker.ORIGIN_HEADER;

    /** Creates one on the system clock and registers its gauge in {@code registry}. */
    static IncomingChecks register(PrometheusRegistry registry) {
        return IncomingOrigins.register(registry, Duration.ZERO);
    }

    /**
     * As {@link #register(PrometheusRegistry)}, keeping each origin for {@code keep} when that is longer than the
     * gauge's 60 s: the verdicts ask who was heard within their window.
     */
    static IncomingChecks register(PrometheusRegistry registry, Duration keep) {
        return IncomingOrigins.register(registry, keep);
    }

    /** Records the origin header's value; anything not shaped like a pod name is ignored. */
    void record(String origin);

    /** Distinct origins seen within the last 60 s. */
    int distinctOrigins();
}
