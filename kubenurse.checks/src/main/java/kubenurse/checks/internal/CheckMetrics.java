package kubenurse.checks.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import kubenurse.checks.VmHistogramCounts;
import kubenurse.checks.internal.http.Failure;
import kubenurse.checks.internal.http.Observation;
import kubenurse.checks.internal.victoriametrics.VmHistogramFamily;

/**
 * The check metrics of the Go kubenurse (README "Metrics"), in the registry given (no global registry).
 * Histograms have the configured classic buckets and, for scrapers that ask for protobuf, native buckets too;
 * with KUBENURSE_VICTORIAMETRICS_HISTOGRAM the request and trace durations are VictoriaMetrics histograms instead.
 */
final class CheckMetrics {

    private final Counter requests;
    private final DurationHistogram duration;
    private final DurationHistogram trace;
    private final List<VmHistogramFamily> victoriaMetricsFamilies;
    private final Counter errors;
    private final Histogram seedDuration;

    /**
     * @param victoriaMetrics KUBENURSE_VICTORIAMETRICS_HISTOGRAM: the request and trace durations become
     *                        VictoriaMetrics histograms (as upstream), outside the registry; see {@link #victoriaMetrics()}
     */
    CheckMetrics(PrometheusRegistry registry, List<Double> buckets, boolean victoriaMetrics) {
        double[] bounds = buckets.stream().mapToDouble(Double::doubleValue).toArray();
        // without exemplars: nothing of ours traces, yet every observation would ask the exemplar sampler (and keep
        // prometheus-metrics' scheduler thread alive for it)
        requests = Counter.builder().name("kubenurse_httpclient_requests_total")
                .help("A counter for requests from the kubenurse http client.")
                .labelNames("type", "code").withoutExemplars().register(registry);
        String durationName = "kubenurse_httpclient_request_duration_seconds";
        String durationHelp = "A latency histogram of request latencies from the kubenurse http client.";
        String traceName = "kubenurse_httpclient_trace_request_duration_seconds";
        String traceHelp = "Latency histogram for requests from the kubenurse http client. Time in seconds since the "
                + "start of the http request.";
        if (victoriaMetrics) {
            VmHistogramFamily vmDuration = new VmHistogramFamily(durationName, "type");
            VmHistogramFamily vmTrace = new VmHistogramFamily(traceName, "type", "event");
            duration = DurationHistogram.victoriaMetrics(vmDuration);
            trace = DurationHistogram.victoriaMetrics(vmTrace);
            victoriaMetricsFamilies = List.of(vmDuration, vmTrace);
        } else {
            duration = DurationHistogram.classic(Histogram.builder().name(durationName).help(durationHelp)
                    .classicUpperBounds(bounds).labelNames("type").withoutExemplars().register(registry));
            trace = DurationHistogram.classic(Histogram.builder().name(traceName).help(traceHelp)
                    .classicUpperBounds(bounds).labelNames("type", "event").withoutExemplars().register(registry));
            victoriaMetricsFamilies = List.of();
        }
        errors = Counter.builder().name("kubenurse_errors_total")
                .help("Kubenurse error counter partitioned by error type")
                .labelNames("type", "event").withoutExemplars().register(registry);
        seedDuration = Histogram.builder().name("kubenurse_request_duration")
                .help("Kubenurse request duration partitioned by error type (the seed README's metric)")
                .classicUpperBounds(bounds).labelNames("type").withoutExemplars().register(registry);
    }

    /** The VictoriaMetrics histograms as counted so far; none when they are off. */
    List<VmHistogramCounts> victoriaMetrics() {
        return victoriaMetricsFamilies.stream().map(VmHistogramFamily::counts).toList();
    }

    void record(String type, Observation observation) {
        if (observation.skippedRun()) {
            return;
        }
        String code = observation.status().isPresent() ? String.valueOf(observation.status().getAsInt()) : Failure.ROUND_TRIP;
        requests.labelValues(type, code).inc();
        if (observation.responseTime() != null) {
            duration.observe(seconds(observation.responseTime()), type);
        }
        seedDuration.labelValues(type).observe(seconds(observation.elapsed()));
        observation.events().forEach((event, since) -> trace.observe(seconds(since), type, event));
        if (observation.errorEvent() != null) {
            errors.labelValues(type, observation.errorEvent()).inc();
        }
    }

    /** Removes every series of a check type, e.g. of a neighbour that is gone. */
    void forget(String type) {
        requests.removeIf(labels -> labels.getFirst().equals(type));
        duration.forget(type);
        trace.forget(type);
        errors.removeIf(labels -> labels.getFirst().equals(type));
        seedDuration.removeIf(labels -> labels.getFirst().equals(type));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
