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
 * @param systemTrust       SSL_CERT_FILE and SSL_CERT_DIR (Go's names, no prefix), or Go's Linux defaults:
 *                          the system CAs the checks trust
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
        List<Double> histogramBuckets,
        TrustSources systemTrust) {

    /** The type label of the check of the API server by its service IP. */
    public static final String API_SERVER_DIRECT = "api_server_direct";
    /** The type label of the check of the API server by its DNS name. */
    public static final String API_SERVER_DNS = "api_server_dns";
    /** The type label of the check through the ingress. */
    public static final String ME_INGRESS = "me_ingress";
    /** The type label of the check through the Kubernetes service. */
    public static final String ME_SERVICE = "me_service";
    /** The four built-in types, in the order they run and /alive lists them; extra checks may not take these names. */
    public static final List<String> BUILT_IN_TYPES = List.of(API_SERVER_DIRECT, API_SERVER_DNS, ME_INGRESS, ME_SERVICE);
    /** A neighbour's check type is this plus its node name, so extra checks may not start with it either. */
    public static final String NEIGHBOUR_TYPE_PREFIX = "path_";

    public CheckSettings {
        extraChecks = List.copyOf(extraChecks);
        histogramBuckets = List.copyOf(histogramBuckets);
    }
}
