package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import kubenurse.config.ApiServer;
import kubenurse.config.LogValue;
import kubenurse.config.UrlHost;

/** Reads where the API server is: the service variables the kubelet sets, the DNS name and our token directory. */
final class ApiServerReader {

    static final int DEFAULT_API_SERVER_PORT = 443;
    static final String DEFAULT_API_SERVER_DNS = "kubernetes.default.svc.cluster.local";
    static final String DEFAULT_SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** Upstream's name, without our prefix: its chart sets it from kubernetes_service_dns. */
    static final String DNS_VARIABLE = "KUBERNETES_SERVICE_DNS";
    /** The name we read before upstream's; manifests written for us still carry it. */
    static final String DNS_ALIAS = PREFIX + "KUBERNETES_SERVICE_DNS";

    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\\.?");

    private ApiServerReader() {
    }

    static ApiServer read(Variables env) {
        Optional<String> host = env.text("KUBERNETES_SERVICE_HOST");
        host.filter(h -> !isHost(h)).ifPresent(h -> env.problem("KUBERNETES_SERVICE_HOST", h,
                "an IPv4 address, an IPv6 address or a host name"));
        int port = env.port("KUBERNETES_SERVICE_PORT", DEFAULT_API_SERVER_PORT);
        String dnsName = dnsName(env);
        Path serviceAccountDir = Path.of(env.text(PREFIX + "SERVICEACCOUNT_DIR").orElse(DEFAULT_SERVICEACCOUNT_DIR));
        return new ApiServer(host.filter(ApiServerReader::isHost), port, dnsName, serviceAccountDir);
    }

    /**
     * Upstream's variable or our alias; both set to different names is an error rather than a silent choice,
     * because api_server_dns would then check a name the operator did not mean (a chart value and an old
     * extra env entry, say). DNS names compare without regard to case.
     */
    private static String dnsName(Variables env) {
        Optional<String> upstream = env.text(DNS_VARIABLE);
        Optional<String> alias = env.text(DNS_ALIAS);
        if (upstream.isPresent() && alias.isPresent() && !upstream.get().equalsIgnoreCase(alias.get())) {
            env.problem(DNS_VARIABLE, upstream.get(), "the same DNS name as its alias " + DNS_ALIAS + "="
                    + LogValue.quote(alias.get()) + ", or only one of the two set");
            return DEFAULT_API_SERVER_DNS;
        }
        String variable = upstream.isPresent() ? DNS_VARIABLE : DNS_ALIAS;
        Optional<String> value = upstream.or(() -> alias);
        if (value.isPresent() && !HOST_NAME.matcher(value.get()).matches()) {
            env.problem(variable, value.get(), "a DNS name such as " + DEFAULT_API_SERVER_DNS);
            return DEFAULT_API_SERVER_DNS;
        }
        return value.orElse(DEFAULT_API_SERVER_DNS);
    }

    /** A host as the checks and discovery put it into a URL, so that what passes here also parses there. */
    private static boolean isHost(String host) {
        if (host.contains(":")) {
            return Variables.parseUrl("https://" + UrlHost.of(host) + "/").isPresent();
        }
        return HOST_NAME.matcher(host).matches();
    }
}
