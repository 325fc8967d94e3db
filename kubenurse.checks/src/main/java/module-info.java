/**
 * The checks: what is called, on which schedule, with which timings and metrics; publishes immutable
 * {@link kubenurse.checks.CheckResults} snapshots.
 */
module kubenurse.checks {
    requires transitive kubenurse.config;
    // the neighbours to check are discovery's own records: data flows discovery -> checks
    requires transitive kubenurse.discovery;
    requires transitive io.prometheus.metrics.core;
    requires transitive io.prometheus.metrics.model;
    requires java.net.http;

    provides java.net.spi.InetAddressResolverProvider with kubenurse.checks.internal.http.TracingResolverProvider;

    exports kubenurse.checks;
}
