package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import kubenurse.checks.CheckResult;
import kubenurse.checks.Neighbour;
import kubenurse.config.Config;
import org.junit.jupiter.api.Test;

class CheckPlanTest {

    private static final List<Neighbour> TWO = List.of(
            new Neighbour("a", "10.0.0.1", "192.168.0.1", "node-a", "Running"),
            new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running"));

    private static List<String> types(Config config, List<Neighbour> neighbours) {
        return new CheckPlan(config).checks(neighbours).stream().map(Check::type).toList();
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
    void switchedOffChecksAreSkipped() {
        Config config = Config.fromEnvironment(Map.of("KUBENURSE_CHECK_ME_SERVICE", "false",
                "KUBENURSE_SERVICE_URL", "http://127.0.0.1:1"), "h");
        CheckResult result = new CheckPlan(config).checks(List.of()).get(3).run();
        assertEquals(CheckResult.skipped("me_service"), result);
    }
}
