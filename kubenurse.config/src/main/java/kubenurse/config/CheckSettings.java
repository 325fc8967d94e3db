package kubenurse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What is checked and how.
 *
 * @param interval          KUBENURSE_CHECK_INTERVAL, time between two check cycles (&gt; 0)
 * @param apiServerDirect   KUBENURSE_CHECK_API_SERVER_DIRECT
 * @param apiServerDns      KUBENURSE_CHECK_API_SERVER_DNS
 * @param meIngress         KUBENURSE_CHECK_ME_INGRESS
 * @param meService         KUBENURSE_CHECK_ME_SERVICE
 * @param neighbourhood     KUBENURSE_CHECK_NEIGHBOURHOOD
 * @param ingressUrl        KUBENURSE_INGRESS_URL, base URL; the check calls it plus /alwayshappy
 * @param serviceUrl        KUBENURSE_SERVICE_URL, base URL; the check calls it plus /alwayshappy
 * @param extraChecks       KUBENURSE_EXTRA_CHECKS, in the order given
 * @param insecure          KUBENURSE_INSECURE, skip verification of outgoing TLS
 * @param reuseConnections  KUBENURSE_REUSE_CONNECTIONS; false opens a fresh connection per check
 * @param extraCa           KUBENURSE_EXTRA_CA, extra PEM CA bundle trusted by the checks
 * @param histogramBuckets  KUBENURSE_HISTOGRAM_BUCKETS, upper bounds in seconds, strictly increasing
 */
public record CheckSettings(
        Duration interval,
        boolean apiServerDirect,
        boolean apiServerDns,
        boolean meIngress,
        boolean meService,
        boolean neighbourhood,
        Optional<URI> ingressUrl,
        Optional<URI> serviceUrl,
        List<ExtraCheck> extraChecks,
        boolean insecure,
        boolean reuseConnections,
        Optional<Path> extraCa,
        List<Double> histogramBuckets) {

    public CheckSettings {
        extraChecks = List.copyOf(extraChecks);
        histogramBuckets = List.copyOf(histogramBuckets);
    }
}
