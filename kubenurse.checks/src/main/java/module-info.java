/**
 * The checks: what is called, on which schedule, with which timings and metrics; publishes immutable
 * {@link kubenurse.checks.CheckResults} snapshots.
 */
module kubenurse.checks {
    requires transitive kubenurse.config;
    requires transitive io.prometheus.metrics.core;
    requires transitive io.prometheus.metrics.model;

    exports kubenurse.checks;
}
