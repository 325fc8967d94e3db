package kubenurse.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kubenurse.checks.CheckResults;
import kubenurse.checks.UdpPathResult;
import kubenurse.checks.VmHistogramCounts;

/**
 * What the server renders.
 *
 * @param hostname     shown as /alive's "hostname" (the pod name)
 * @param aliveResults results for /alive, usually {@code checker::fresh}
 * @param registry     rendered by /metrics
 * @param ready        /ready answers 200 while true, else 503
 * @param incoming     records the origin of every /alwayshappy call
 * @param discovery    /alive's "discovery_state" and last_check_result's "neighbourhood_state" (upstream's meaning):
 *                     "ok", "skipped" (local mode), or what fails in neighbour discovery
 * @param victoriaMetrics histograms /metrics writes after the registry's, in VictoriaMetrics' format, which
 *                     client_java cannot hold (usually {@code checker::victoriaMetricsHistograms}); while they
 *                     counted anything, /metrics answers in Prometheus text whatever the scraper asks for, as
 *                     upstream's VictoriaMetrics output does
 * @param exposeMetadata KUBENURSE_EXPOSE_METADATA: those histograms get # HELP and # TYPE lines, as upstream's
 *                     library writes them (the registry's metrics always have them)
 * @param udp          /alive's "udp": each probed neighbour's last UDP probe cycle, by type (usually
 *                     {@code udpProbe::latest}); empty when the probe is off
 */
public record Endpoints(
        String hostname,
        Supplier<CheckResults> aliveResults,
        PrometheusRegistry registry,
        BooleanSupplier ready,
        IncomingChecks incoming,
        Supplier<String> discovery,
        Supplier<List<VmHistogramCounts>> victoriaMetrics,
        boolean exposeMetadata,
        Supplier<Map<String, UdpPathResult>> udp) {
}
