package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.CheckTransport;
import kubenurse.checks.internal.http.CheckTrust;
import kubenurse.checks.internal.http.Connections;
import kubenurse.checks.internal.http.GoProxySelector;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TrustSources;
import kubenurse.checks.CheckResult;
import kubenurse.discovery.Neighbour;
import kubenurse.config.Config;
import org.junit.jupiter.api.Test;

class CheckPlanTest {

    private static final List<Neighbour> TWO = List.of(
            new Neighbour("a", "10.0.0.1", "192.168.0.1", "node-a", "Running"),
            new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running"));

    private static List<String> types(Config config, List<Neighbour> neighbours) {
        return plan(config).checks(neighbours).stream().map(Check::type).toList();
    }

    private static CheckPlan plan(Config config) {
        ServiceAccount account = ServiceAccount.of(config);
        CheckTransport transport = new CheckTransport(CheckTrust.sslContext(false, account, TrustSources.DEFAULTS),
                new GoProxySelector(ProxySettings.none()), Connections.of(false), null);
        return new CheckPlan(config, transport, transport, account);
    }

    @Test
    void localModeHasNoPathChecks() {
        Config local = Config.fromEnvironment(Map.of("KUBENURSE_EXTRA_CHECKS", "x:http://127.0.0.1:1"), "h");
        assertEquals(List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service", "x"), types(local, TWO));
    }

    @Test
    void inClusterOnePathCheckPerNeighbourBeforeTheExtraChecks() {
        Config cluster = Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "KUBENURSE_EXTRA_CHECKS", "x:http://127.0.0.1:1"), "h");
        assertEquals(List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service",
                "path_node-a", "path_node-b", "x"), types(cluster, TWO));
    }

    @Test
    void neighbourhoodSwitchedOffHasNoPathChecks() {
        Config off = Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "KUBENURSE_CHECK_NEIGHBOURHOOD", "false"), "h");
        assertEquals(List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service"), types(off, TWO));
    }

    @Test
    void urlsOfEveryCheckType() {
        Config config = Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443",
                "KUBENURSE_INGRESS_URL", "https://ingress.example.com/", "KUBENURSE_SERVICE_URL", "http://svc:8080",
                "KUBENURSE_HTTP_PORT", "8081"), "h");
        List<Neighbour> neighbours = List.of(new Neighbour("c", "fd00::c", "fd01::c", "node-c", "Running"));
        List<String> urls = plan(config).checks(neighbours).stream()
                .map(c -> c.key().substring(c.type().length() + 1)).toList();
        assertEquals(List.of("https://[fd00::1]:6443/version",
                "https://kubernetes.default.svc.cluster.local:6443/version",
                "https://ingress.example.com/alwayshappy",
                "http://svc:8080/alwayshappy",
                "http://[fd00::c]:8081/alwayshappy"), urls);
    }

    @Test
    void switchedOffChecksAreSkipped() {
        Config config = Config.fromEnvironment(Map.of("KUBENURSE_CHECK_ME_SERVICE", "false",
                "KUBENURSE_SERVICE_URL", "http://127.0.0.1:1"), "h");
        CheckResult result = plan(config).checks(List.of()).get(3).run().result();
        assertEquals(CheckResult.skipped("me_service"), result);
    }
}
