package kubenurse.checks.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;

/**
 * The check metrics of the Go kubenurse (README "Metrics"), in the registry given (no global registry).
 * Histograms have the configured classic buckets and, for scrapers that ask for protobuf, native buckets too.
 */
final class CheckMetrics {

    private final Counter requests;
    private final Histogram duration;
    private final Histogram trace;
    private final Counter errors;
    private final Histogram seedDuration;

    CheckMetrics(PrometheusRegistry registry, List<Double> buckets) {
        double[] bounds = buckets.stream().mapToDouble(Double::doubleValue).toArray();
        requests = Counter.builder().name("kubenurse_httpclient_requests_total")
                .help("A counter for requests from the kubenurse http client.")
                .labelNames("type", "code").register(registry);
        duration = Histogram.builder().name("kubenurse_httpclient_request_duration_seconds")
                .help("A latency histogram of request latencies from the kubenurse http client.")
                .classicUpperBounds(bounds).labelNames("type").register(registry);
        trace = Histogram.builder().name("kubenurse_httpclient_trace_request_duration_seconds")
                .help("Latency histogram for requests from the kubenurse http client. Time in seconds since the "
                        + "start of the http request.")
                .classicUpperBounds(bounds).labelNames("type", "event").register(registry);
        errors = Counter.builder().name("kubenurse_errors_total")
                .help("Kubenurse error counter partitioned by error type")
                .labelNames("type", "event").register(registry);
        seedDuration = Histogram.builder().name("kubenurse_request_duration")
                .help("Kubenurse request duration partitioned by error type (the seed README's metric)")
                .classicUpperBounds(bounds).labelNames("type").register(registry);
    }

    void record(String type, Observation observation) {
        if (observation.skippedRun()) {
            return;
        }
        String code = observation.status().isPresent() ? String.valueOf(observation.status().getAsInt()) : Failure.ROUND_TRIP;
        requests.labelValues(type, code).inc();
        if (observation.responseTime() != null) {
            duration.labelValues(type).observe(seconds(observation.responseTime()));
        }
        seedDuration.labelValues(type).observe(seconds(observation.elapsed()));
        observation.events().forEach((event, since) -> trace.labelValues(type, event).observe(seconds(since)));
        if (observation.errorEvent() != null) {
            errors.labelValues(type, observation.errorEvent()).inc();
        }
    }

    /** Removes every series of a check type, e.g. of a neighbour that is gone. */
    void forget(String type) {
        requests.removeIf(labels -> labels.getFirst().equals(type));
        duration.removeIf(labels -> labels.getFirst().equals(type));
        trace.removeIf(labels -> labels.getFirst().equals(type));
        errors.removeIf(labels -> labels.getFirst().equals(type));
        seedDuration.removeIf(labels -> labels.getFirst().equals(type));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
