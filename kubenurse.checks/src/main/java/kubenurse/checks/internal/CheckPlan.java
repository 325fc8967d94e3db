package kubenurse.checks.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import kubenurse.checks.Checker;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.CheckTransport;
import kubenurse.checks.internal.http.HttpCheck;
import kubenurse.checks.internal.http.SkippedCheck;
import kubenurse.config.CheckSettings;
import kubenurse.config.Config;
import kubenurse.config.ExtraCheck;
import kubenurse.config.ServiceAccount;
import kubenurse.config.UrlHost;
import kubenurse.discovery.Neighbour;

/**
 * Decides, per cycle, which checks exist and what each calls: the four built-in checks, one path check per
 * neighbour, then the extra checks. A check that is switched off, has no URL, or cannot run outside a
 * cluster is a {@link SkippedCheck}. The serviceaccount token goes to the two API server checks and to
 * nothing else (Go sends it to any URL ending in /version), and only over verified TLS.
 */
final class CheckPlan {

    static final String API_SERVER_DIRECT = CheckSettings.API_SERVER_DIRECT;
    static final String API_SERVER_DNS = CheckSettings.API_SERVER_DNS;
    static final String ME_INGRESS = CheckSettings.ME_INGRESS;
    static final String ME_SERVICE = CheckSettings.ME_SERVICE;
    static final String ALWAYS_HAPPY = "/alwayshappy";

    private final Config config;
    private final CheckTransport transport;
    private final CheckTransport apiServerTransport;
    private final Supplier<Map<String, String>> bearerToken;
    private final Supplier<Map<String, String>> origin;

    /**
     * @param transport          for every check but the API server's: KUBENURSE_INSECURE applies
     * @param apiServerTransport for the two API server checks, which carry the token: always verifies TLS
     * @param account            the token for the API server checks (the same account whose CA that transport trusts)
     */
    CheckPlan(Config config, CheckTransport transport, CheckTransport apiServerTransport, ServiceAccount account) {
        this.config = config;
        this.transport = transport;
        this.apiServerTransport = apiServerTransport;
        // the kubelet rotates the token: asked for on every run, re-read when the file changed
        this.bearerToken = () -> account.token().map(t -> Map.of("Authorization", "Bearer " + t)).orElse(Map.of());
        Map<String, String> originHeader = Map.of(Checker.ORIGIN_HEADER, config.identity().podName());
        this.origin = () -> originHeader;
    }

    List<Check> checks(List<Neighbour> neighbours) {
        CheckSettings settings = config.checks();
        Optional<String> apiHost = config.apiServer().host();
        int apiPort = config.apiServer().port();
        List<Check> checks = new ArrayList<>();
        checks.add(check(API_SERVER_DIRECT, settings.apiServerDirect(),
                apiHost.map(h -> URI.create("https://" + UrlHost.of(h) + ":" + apiPort + "/version")), bearerToken,
                apiServerTransport));
        checks.add(check(API_SERVER_DNS, settings.apiServerDns(),
                apiHost.map(h -> URI.create("https://" + config.apiServer().dnsName() + ":" + apiPort + "/version")),
                bearerToken, apiServerTransport));
        checks.add(check(ME_INGRESS, settings.meIngress(), settings.ingressUrl().map(CheckPlan::alwaysHappy), Map::of,
                transport));
        checks.add(check(ME_SERVICE, settings.meService(), settings.serviceUrl().map(CheckPlan::alwaysHappy), Map::of,
                transport));
        if (!config.localMode() && settings.neighbourhood()) {
            for (Neighbour neighbour : neighbours) {
                checks.add(new HttpCheck(neighbour.checkType(), neighbourUrl(neighbour), origin, transport));
            }
        }
        for (ExtraCheck extra : settings.extraChecks()) {
            checks.add(new HttpCheck(extra.name(), extra.url(), Map::of, transport));
        }
        return checks;
    }

    private static Check check(String type, boolean enabled, Optional<URI> url, Supplier<Map<String, String>> headers,
            CheckTransport over) {
        if (!enabled || url.isEmpty()) {
            return new SkippedCheck(type);
        }
        return new HttpCheck(type, url.get(), headers, over);
    }

    /** Neighbours listen where we listen: the same port, https with TLS. */
    private URI neighbourUrl(Neighbour neighbour) {
        boolean tls = config.server().useTls();
        int port = tls ? config.server().httpsPort() : config.server().httpPort();
        return URI.create((tls ? "https://" : "http://") + UrlHost.of(neighbour.podIp()) + ":" + port + ALWAYS_HAPPY);
    }

    /** The base URL plus /alwayshappy, without a double slash. */
    static URI alwaysHappy(URI base) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + ALWAYS_HAPPY);
    }
}
