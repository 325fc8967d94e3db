package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's verdicts block (docs/verdicts.md): its five variables, their ranges, and the permissions that
 * follow from it: Events in "default" only while Events are written, nodes/status only with the node condition.
 */
class HelmVerdictsTest {

    private static final Map<String, Object> NODE_STATUS_PATCH = Map.of("apiGroups", List.of(""),
            "resources", List.of("nodes/status"), "verbs", List.of("patch"));

    @TempDir
    Path dir;

    private List<Map<String, Object>> template(String values) throws Exception {
        return Manifests.helmTemplate(HelmChartTest.CHART, dir, "kubenurse", "monitoring", values);
    }

    private static Map<String, Object> env(List<Map<String, Object>> objects) {
        return Manifests.env(at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0));
    }

    private static List<Map<String, Object>> inDefault(List<Map<String, Object>> objects) {
        return objects.stream().filter(o -> "default".equals(at(o, "metadata", "namespace"))).toList();
    }

    @Test
    void theDefaultsAreTheVariablesDefaultsAndReachTheEnvironment() throws Exception {
        Map<String, Object> values = new Yaml().load(Files.readString(HelmChartTest.CHART.resolve("values.yaml")));
        assertEquals(Map.of("quorumPercent", 50, "minPeers", 2, "windowIntervals", 3, "eventsPerMinute", 20,
                "nodeCondition", false), values.get("verdicts"));
        Map<String, Object> env = env(template("{}"));
        assertEquals(List.of("50", "2", "3", "20", "false"), List.of(env.get("KUBENURSE_VERDICT_QUORUM_PERCENT"),
                env.get("KUBENURSE_VERDICT_MIN_PEERS"), env.get("KUBENURSE_VERDICT_WINDOW_INTERVALS"),
                env.get("KUBENURSE_EVENTS_PER_MINUTE"), env.get("KUBENURSE_NODE_CONDITION")));
        Map<String, Object> set = env(template("verdicts: {quorumPercent: 75, minPeers: 4, windowIntervals: 6,"
                + " eventsPerMinute: 100, nodeCondition: true}"));
        assertEquals(List.of("75", "4", "6", "100", "true"), List.of(set.get("KUBENURSE_VERDICT_QUORUM_PERCENT"),
                set.get("KUBENURSE_VERDICT_MIN_PEERS"), set.get("KUBENURSE_VERDICT_WINDOW_INTERVALS"),
                set.get("KUBENURSE_EVENTS_PER_MINUTE"), set.get("KUBENURSE_NODE_CONDITION")));
    }

    @Test
    void eventsMayBeWrittenInDefaultAndNowhereElseAndNotAtAllWhenNoneAreWritten() throws Exception {
        List<Map<String, Object>> objects = inDefault(template("{}"));
        assertEquals(List.of("Role", "RoleBinding"), objects.stream().map(o -> o.get("kind")).toList());
        Map<String, Object> role = find(objects, "Role");
        assertEquals("kubenurse-monitoring", at(role, "metadata", "name"), "one per release namespace");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("events"), "verbs", List.of("create", "patch"))),
                at(role, "rules"));
        Map<String, Object> binding = find(objects, "RoleBinding");
        assertEquals("kubenurse-monitoring", at(binding, "roleRef", "name"));
        assertEquals(List.of(Map.of("kind", "ServiceAccount", "name", "kubenurse", "namespace", "monitoring")),
                at(binding, "subjects"));
        List<Map<String, Object>> clusterRules = at(find(template("{}"), "ClusterRole"), "rules");
        assertTrue(clusterRules.stream().noneMatch(r -> ((List<?>) r.get("resources")).contains("events")),
                "not in every namespace");

        assertEquals(List.of(), inDefault(template("verdicts: {eventsPerMinute: 0}")), "no Events, no permission for them");
    }

    @Test
    void nodeStatusMayBePatchedOnlyWithTheNodeCondition() throws Exception {
        List<Map<String, Object>> off = at(find(template("{}"), "ClusterRole"), "rules");
        assertTrue(off.stream().noneMatch(NODE_STATUS_PATCH::equals), off.toString());
        List<Map<String, Object>> on = at(find(template("verdicts: {nodeCondition: true}"), "ClusterRole"), "rules");
        assertEquals(List.of("nodes", "nodes/status"), on.stream().map(r -> ((List<?>) r.get("resources")).getFirst()).toList());
        assertEquals(NODE_STATUS_PATCH, on.get(1));
    }

    @Test
    void aValueOutsideItsRangeOrATypoIsRefusedByTheSchema() {
        for (String bad : List.of("quorumPercent: 0", "quorumPercent: 101", "minPeers: 0", "minPeers: 1001",
                "windowIntervals: 0", "windowIntervals: 101", "eventsPerMinute: -1", "eventsPerMinute: 1001",
                "nodeCondition: \"yes\"", "quorumPercent: \"50\"")) {
            assertThrows(Exception.class, () -> template("verdicts: {" + bad + "}"), bad);
        }
        Exception typo = assertThrows(Exception.class, () -> template("verdicts: {quorum: 50}"));
        assertTrue(typo.getMessage().contains("quorum"), typo.getMessage());
    }
}
