package kubenurse.config;

import java.util.Map;
import kubenurse.config.internal.EnvironmentReader;

/**
 * Everything kubenurse is configured with, read once from the environment at start and never changed.
 *
 * @param server     listeners and shutdown
 * @param checks     what is checked, how often, and how outgoing TLS is trusted
 * @param apiServer  where the Kubernetes API server is; absent host means local mode
 * @param neighbours which kubenurse pods are neighbours
 * @param proxy      HTTP(S) proxy settings for the checks, as Go's http.ProxyFromEnvironment reads them
 * @param identity   this pod's name and node
 * @param logLevel   the lowest level that is logged
 * @param exposeMetadata           KUBENURSE_EXPOSE_METADATA: # HELP and # TYPE lines for the VictoriaMetrics histograms
 * @param victoriaMetricsHistogram KUBENURSE_VICTORIAMETRICS_HISTOGRAM: the duration histograms in VictoriaMetrics form
 * @param udp        the UDP probe between neighbours
 * @param verdicts   when our node has a network problem, and whether Kubernetes is told (Events, node condition)
 */
public record Config(
        ServerSettings server,
        CheckSettings checks,
        ApiServer apiServer,
        NeighbourSettings neighbours,
        ProxySettings proxy,
        Identity identity,
        LogLevel logLevel,
        boolean exposeMetadata,
        boolean victoriaMetricsHistogram,
        UdpSettings udp,
        VerdictSettings verdicts) {

    /**
     * Reads the configuration from environment variables.
     *
     * @param environment the variables, usually {@code System.getenv()}
     * @param hostname    this machine's host name, the default pod name
     * @throws ConfigException listing every problem found, one per variable and value
     */
    public static Config fromEnvironment(Map<String, String> environment, String hostname) {
        return new EnvironmentReader(environment, hostname).read();
    }

    /** True outside a cluster: no API server is known, so the API and neighbour checks are skipped. */
    public boolean localMode() {
        return apiServer.host().isEmpty();
    }
}
