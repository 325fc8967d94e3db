package kubenurse.checks.internal.udp;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The kubenurse_udp_* metrics, labelled by type (path_NODE) as the path checks are; the alerts and dashboards
 * of the chart read these names. The RTT histogram's classic buckets start at 100 µs, since a healthy pod
 * network answers in well under a millisecond; scrapers that ask for protobuf get native buckets too.
 */
final class UdpMetrics {

    static final double[] RTT_BUCKETS = {
            .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1};

    private final Counter sent;
    private final Counter lost;
    private final Counter duplicated;
    private final Counter reordered;
    private final Histogram rtt;
    private final Gauge jitter;

    UdpMetrics(PrometheusRegistry registry) {
        // without exemplars: nothing of ours traces, yet every observation would ask the exemplar sampler (and keep
        // prometheus-metrics' scheduler thread alive for it)
        sent = Counter.builder().name("kubenurse_udp_probes_sent_total")
                .help("UDP probes sent to a neighbour").labelNames("type").withoutExemplars().register(registry);
        lost = Counter.builder().name("kubenurse_udp_probes_lost_total")
                .help("UDP probes to a neighbour without a reply within 1 s (or by the end of the cycle)")
                .labelNames("type").withoutExemplars().register(registry);
        duplicated = Counter.builder().name("kubenurse_udp_probes_duplicated_total")
                .help("Replies to a UDP probe that had been answered already").labelNames("type").withoutExemplars().register(registry);
        reordered = Counter.builder().name("kubenurse_udp_probes_reordered_total")
                .help("Replies to a UDP probe that came after the reply to a later probe").labelNames("type")
                .withoutExemplars().register(registry);
        rtt = Histogram.builder().name("kubenurse_udp_rtt_seconds")
                .help("Round-trip time of the answered UDP probes to a neighbour")
                .classicUpperBounds(RTT_BUCKETS).labelNames("type").withoutExemplars().register(registry);
        jitter = Gauge.builder().name("kubenurse_udp_jitter_seconds")
                .help("The last cycle's mean absolute difference of consecutive UDP round-trip times to a neighbour")
                .labelNames("type").withoutExemplars().register(registry);
    }

    /** A newly chosen neighbour's counters start at 0, so that rate() and increase() see its first losses. */
    void chosen(String type) {
        sent.initLabelValues(type);
        lost.initLabelValues(type);
        duplicated.initLabelValues(type);
        reordered.initLabelValues(type);
    }

    void sent(String type) {
        sent.labelValues(type).inc();
    }

    void record(UdpCycleStats stats) {
        String type = stats.type();
        lost.labelValues(type).inc(stats.lost());
        duplicated.labelValues(type).inc(stats.duplicated());
        reordered.labelValues(type).inc(stats.reordered());
        for (double seconds : stats.rttSeconds()) {
            rtt.labelValues(type).observe(seconds);
        }
        // with fewer than two replies there is no jitter to tell: no value rather than a stale one
        stats.jitter().ifPresentOrElse(value -> jitter.labelValues(type).set(value), () -> jitter.remove(type));
    }

    /** Removes every series of a neighbour that is no longer chosen. */
    void forget(String type) {
        sent.remove(type);
        lost.remove(type);
        duplicated.remove(type);
        reordered.remove(type);
        rtt.remove(type);
        jitter.remove(type);
    }
}
