package kubenurse.checks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;
import kubenurse.checks.internal.CheckerFactory;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbours;
import kubenurse.discovery.NodeReports;

/**
 * Runs every check on its schedule and on demand, records metrics, and keeps the latest results.
 * Closing it stops the schedule and waits for running checks up to their timeout.
 */
public interface Checker extends AutoCloseable {

    /**
     * The request header by which a path check tells the neighbour who is calling: KUBENURSE-NEIGHBOUR-ORIGIN,
     * carrying the caller's pod name.
     */
    String ORIGIN_HEADER = "KUBENURSE-NEIGHBOUR-ORIGIN";

    /**
     * @param config     the configuration in effect
     * @param registry   where the check metrics are registered
     * @param neighbours discovery's latest snapshot, taken once before every cycle: the neighbours it checks and the
     *                   eligible ones its results show beside them
     * @param heard      who checked us lately (the origins our server recorded): the inbound verdict's evidence
     * @param reports    where verdict changes and failing paths are told to Kubernetes ({@link NodeReports#none()}
     *                   in local mode)
     */
    static Checker create(Config config, PrometheusRegistry registry, Supplier<Neighbours> neighbours,
            HeardCheckers heard, NodeReports reports) {
        return CheckerFactory.create(config, registry, neighbours, heard, reports);
    }

    /** Starts the schedule; the first cycle runs at once. */
    void start();

    /**
     * Checks at once the neighbours that {@code snapshot} adds to the plan, rather than up to an interval later
     * at the next cycle (a pod that became Ready, a fresh ring on start-up); the other checks keep their
     * schedule. Ignored before {@link #start()} (the first cycle plans every neighbour) and after close. Returns
     * at once: made to be called by discovery on every new snapshot.
     */
    void neighboursChanged(Neighbours snapshot);

    /**
     * Our pod stops being Ready (its shutdown began): the neighbours stop checking it, so the verdicts are not judged
     * from now on (the silence would read as an inbound problem); the checks go on until close.
     */
    void leaving();

    /** The latest results, without waiting. */
    CheckResults latest();

    /**
     * Results of a cycle at most 3 seconds old: runs a cycle if the last one started longer ago and waits for
     * it, up to 2 seconds (a check still running by then shows its previous result). Concurrent callers
     * share one cycle, so callers can never cause a storm of checks.
     */
    CheckResults fresh();

    /**
     * The request and trace duration histograms in VictoriaMetrics' format (KUBENURSE_VICTORIAMETRICS_HISTOGRAM,
     * docs/compatibility.md), as counted so far, for /metrics to write after the registry's; none when the option
     * is off. client_java's registry cannot hold them (a family named *_bucket, buckets without le).
     */
    List<VmHistogramCounts> victoriaMetricsHistograms();

    /** Stops the schedule and waits, bounded, for running checks. */
    @Override
    void close();
}
