package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import kubenurse.config.ApiServer;
import kubenurse.config.UrlHost;

/** Reads where the API server is: the service variables the kubelet sets, and our DNS name and token directory. */
final class ApiServerReader {

    static final int DEFAULT_API_SERVER_PORT = 443;
    static final String DEFAULT_API_SERVER_DNS = "kubernetes.default.svc.cluster.local";
    static final String DEFAULT_SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\\.?");

    private ApiServerReader() {
    }

    static ApiServer read(Variables env) {
        Optional<String> host = env.text("KUBERNETES_SERVICE_HOST");
        host.filter(h -> !isHost(h)).ifPresent(h -> env.problem("KUBERNETES_SERVICE_HOST", h,
                "an IPv4 address, an IPv6 address or a host name"));
        int port = env.port("KUBERNETES_SERVICE_PORT", DEFAULT_API_SERVER_PORT);
        String dnsName = env.text(PREFIX + "KUBERNETES_SERVICE_DNS").orElse(DEFAULT_API_SERVER_DNS);
        if (!HOST_NAME.matcher(dnsName).matches()) {
            env.problem(PREFIX + "KUBERNETES_SERVICE_DNS", dnsName, "a DNS name such as " + DEFAULT_API_SERVER_DNS);
        }
        Path serviceAccountDir = Path.of(env.text(PREFIX + "SERVICEACCOUNT_DIR").orElse(DEFAULT_SERVICEACCOUNT_DIR));
        return new ApiServer(host.filter(ApiServerReader::isHost), port, dnsName, serviceAccountDir);
    }

    /** A host as the checks and discovery put it into a URL, so that what passes here also parses there. */
    private static boolean isHost(String host) {
        if (host.contains(":")) {
            return Variables.parseUrl("https://" + UrlHost.of(host) + "/").isPresent();
        }
        return HOST_NAME.matcher(host).matches();
    }
}
