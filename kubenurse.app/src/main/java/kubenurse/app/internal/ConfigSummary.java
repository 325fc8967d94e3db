package kubenurse.app.internal;

import java.util.Optional;
import java.util.stream.Collectors;
import kubenurse.config.CheckSettings;
import kubenurse.config.Config;
import kubenurse.config.GoDuration;
import kubenurse.config.LogValue;

/**
 * The configuration in effect as one log line at start, so that an operator reading a pod's log knows what
 * it ran with. Holds no secrets: the token is never part of the configuration, only its path.
 */
final class ConfigSummary {

    private ConfigSummary() {
    }

    static String of(Config config) {
        CheckSettings checks = config.checks();
        return "event=config"
                + " local_mode=" + config.localMode()
                + " pod_name=" + LogValue.quote(config.identity().podName())
                + " node_name=" + LogValue.quote(config.identity().nodeName().orElse("<from own pod>"))
                + " http_port=" + config.server().httpPort()
                + " use_tls=" + config.server().useTls()
                + (config.server().useTls() ? " https_port=" + config.server().httpsPort() : "")
                + " check_interval=" + GoDuration.format(checks.interval())
                + " shutdown_duration=" + GoDuration.format(config.server().shutdownDuration())
                + " check_api_server_direct=" + checks.apiServerDirect()
                + " check_api_server_dns=" + checks.apiServerDns()
                + " check_me_ingress=" + checks.meIngress()
                + " check_me_service=" + checks.meService()
                + " check_neighbourhood=" + checks.neighbourhood()
                + " ingress_url=" + url(checks.ingressUrl())
                + " service_url=" + url(checks.serviceUrl())
                + " extra_checks=" + checks.extraChecks().stream().map(e -> e.name()).collect(Collectors.joining(","))
                + " insecure=" + checks.insecure()
                + " reuse_connections=" + checks.reuseConnections()
                + " extra_ca=" + LogValue.quote(text(checks.extraCa()))
                + " namespace=" + LogValue.quote(config.neighbours().namespace())
                + " neighbour_filter=" + LogValue.quote(config.neighbours().filter())
                + " neighbour_limit=" + config.neighbours().limit()
                + " allow_unschedulable=" + config.neighbours().allowUnschedulable()
                + " check_udp=" + config.udp().enabled()
                + " udp_port=" + config.udp().port()
                + " udp_probes=" + config.udp().probes()
                + " verdict_quorum_percent=" + config.verdicts().quorumPercent()
                + " verdict_min_peers=" + config.verdicts().minPeers()
                + " verdict_window_intervals=" + config.verdicts().windowIntervals()
                + " events_per_minute=" + config.verdicts().eventsPerMinute()
                + " node_condition=" + config.verdicts().nodeCondition()
                + " log_level=" + config.logLevel().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Without userinfo and query: a URL can carry a password or a token. */
    private static String url(Optional<?> value) {
        return LogValue.quote(value.map(LogValue::redactedUrl).orElse(""));
    }

    private static String text(Optional<?> value) {
        return value.map(Object::toString).orElse("");
    }
}
