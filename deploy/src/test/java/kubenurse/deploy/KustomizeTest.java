package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kubenurse.deploy.NetworkPolicies.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kustomize base and example overlay, rendered by the real kubectl and checked object by object. */
class KustomizeTest {

    static List<Map<String, Object>> base;
    static List<Map<String, Object>> overlay;
    /** A test overlay: namespace monitoring, plus the networkpolicy component. */
    static List<Map<String, Object>> monitoring;
    /** A test overlay: namespace monitoring, plus the node-condition component. */
    static List<Map<String, Object>> nodeCondition;

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(Manifests.onPath("kubectl"), "kubectl not installed: kustomize rendering not checked");
        base = Manifests.documents(kustomize("deploy/kustomize/base"));
        overlay = Manifests.documents(kustomize("deploy/kustomize/overlays/example"));
        monitoring = Manifests.documents(kustomize("deploy/src/test/resources/kustomize/monitoring"));
        nodeCondition = Manifests.documents(kustomize("deploy/src/test/resources/kustomize/node-condition"));
    }

    private static String kustomize(String dir) throws Exception {
        Manifests.Result result = Manifests.run("kubectl", "kustomize", dir);
        assertEquals(0, result.status(), result.err());
        return result.out();
    }

    @Test
    void baseHoldsExactlyTheResourcesKubenurseNeeds() {
        assertEquals(List.of("ClusterRole", "ClusterRoleBinding", "DaemonSet", "Ingress", "Role", "RoleBinding",
                "Service", "ServiceAccount"), base.stream().map(d -> (String) d.get("kind")).sorted().toList());
        assertTrue(base.stream().allMatch(d -> at(d, "metadata", "namespace") == null), "the base is namespace-agnostic");
    }

    @Test
    void rbacIsWhatDiscoveryReadsAndTheEventsItWritesButNoNodeStatus() {
        List<Map<String, Object>> roleRules = at(find(base, "Role"), "rules");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("pods"),
                "verbs", List.of("list", "watch"))), roleRules);
        // a node read by name for the uid its Events name; Events in every namespace, as an overlay's namespace
        // would move a Role out of "default" (docs/verdicts.md)
        List<Map<String, Object>> clusterRules = at(find(base, "ClusterRole"), "rules");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("nodes"), "verbs", List.of("get", "list", "watch")),
                Map.of("apiGroups", List.of(""), "resources", List.of("events"), "verbs", List.of("create", "patch"))),
                clusterRules);
        assertEquals(clusterRules, at(find(overlay, "ClusterRole"), "rules"), "the node condition is opt-in");
        assertEquals("kube-system", at(find(overlay, "ClusterRoleBinding"), "subjects", 0, "namespace"));
        assertEquals("kubenurse", at(find(overlay, "RoleBinding"), "subjects", 0, "name"));
    }

    @Test
    void daemonSetProbesSecurityAndEnvironment() {
        Map<String, Object> ds = find(base, "DaemonSet");
        Map<String, Object> pod = at(ds, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", 0);
        assertEquals("/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals("/alwayshappy", at(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/alwayshappy", at(container, "startupProbe", "httpGet", "path"));
        assertEquals(true, at(pod, "securityContext", "runAsNonRoot"));
        assertEquals("RuntimeDefault", at(pod, "securityContext", "seccompProfile", "type"));
        assertEquals(true, at(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(false, at(container, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), at(container, "securityContext", "capabilities", "drop"));
        assertEquals(true, at(pod, "automountServiceAccountToken"));
        assertTrue((Integer) at(pod, "terminationGracePeriodSeconds") > 5, "longer than SHUTDOWN_DURATION");
        assertTrue(at(container, "resources", "requests", "memory") != null && at(container, "resources", "limits", "memory") != null);
        assertEquals("10%", at(ds, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable"));

        List<Map<String, Object>> envList = at(container, "env");
        Map<String, Map<String, Object>> env = envList.stream()
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e));
        assertEquals("metadata.name", at(env.get("KUBENURSE_POD_NAME"), "valueFrom", "fieldRef", "fieldPath"));
        assertEquals("spec.nodeName", at(env.get("KUBENURSE_NODE_NAME"), "valueFrom", "fieldRef", "fieldPath"));
        assertEquals("metadata.namespace", at(env.get("KUBENURSE_NAMESPACE"), "valueFrom", "fieldRef", "fieldPath"));

        // the pods carry the label the neighbour filter selects
        String filter = (String) env.get("KUBENURSE_NEIGHBOUR_FILTER").get("value");
        String[] labelAndValue = filter.split("=");
        assertEquals(labelAndValue[1], at(ds, "spec", "template", "metadata", "labels", labelAndValue[0]));

        List<Map<String, Object>> tolerations = at(pod, "tolerations");
        assertEquals(List.of("node-role.kubernetes.io/master", "node-role.kubernetes.io/control-plane"),
                tolerations.stream().map(t -> t.get("key")).toList());
        assertEquals((Object) 8080, at(container, "ports", 0, "containerPort"));
        // the UDP probe: declared on the port the pods answer on; the Service keeps its one TCP port
        assertEquals("true", env.get("KUBENURSE_CHECK_UDP").get("value"));
        assertEquals(Map.of("name", "udp-probe", "protocol", "UDP",
                "containerPort", Integer.parseInt((String) env.get("KUBENURSE_UDP_PORT").get("value"))), at(container, "ports", 1));
        assertEquals("20", env.get("KUBENURSE_UDP_PROBES").get("value"));
        assertEquals(List.of("50", "2", "3", "20", "false"), List.of("KUBENURSE_VERDICT_QUORUM_PERCENT",
                "KUBENURSE_VERDICT_MIN_PEERS", "KUBENURSE_VERDICT_WINDOW_INTERVALS", "KUBENURSE_EVENTS_PER_MINUTE",
                "KUBENURSE_NODE_CONDITION").stream().map(name -> env.get(name).get("value")).toList());
        List<Map<String, Object>> servicePorts = at(find(base, "Service"), "spec", "ports");
        assertTrue(servicePorts.stream().noneMatch(p -> "UDP".equals(p.get("protocol"))), servicePorts.toString());
    }

    @Test
    void podsAreScrapedAndOverlayPlacesEverythingInKubeSystem() {
        Map<String, Object> service = find(base, "Service");
        assertEquals((Object) 8080, at(service, "spec", "ports", 0, "port"));
        // the pods only, as the Go chart: annotated too, the Service would have a plain Prometheus scrape each pod twice
        assertEquals("true", at(find(base, "DaemonSet"), "spec", "template", "metadata", "annotations", "prometheus.io/scrape"));
        assertNull(at(service, "metadata", "annotations"));
        assertTrue(overlay.stream().filter(d -> !List.of("ClusterRole", "ClusterRoleBinding").contains(d.get("kind")))
                .allMatch(d -> "kube-system".equals(at(d, "metadata", "namespace"))));
        assertEquals("kubenurse.apps.example.org", at(find(overlay, "Ingress"), "spec", "rules", 0, "host"));
        find(overlay, "PodMonitor");
        find(overlay, "PrometheusRule");
    }

    @Test
    void bindingsNameTheServiceAccountInTheOverlaysNamespace() {
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            Map<String, Object> subject = at(find(monitoring, kind), "subjects", 0);
            assertEquals(Map.of("kind", "ServiceAccount", "name", "kubenurse", "namespace", "monitoring"), subject, kind);
        }
        assertEquals("monitoring", at(find(monitoring, "ServiceAccount"), "metadata", "namespace"));
    }

    @Test
    void ingressRoutesOnlyTheIngressChecksTarget() {
        // /alive (pod IPs, node names, request headers) and /metrics stay inside the cluster
        for (List<Map<String, Object>> rendered : List.of(base, overlay)) {
            List<Map<String, Object>> paths = at(find(rendered, "Ingress"), "spec", "rules", 0, "http", "paths");
            assertEquals(1, paths.size(), paths.toString());
            assertEquals("/alwayshappy", paths.get(0).get("path"));
            assertEquals("Exact", paths.get(0).get("pathType"));
            assertEquals("http", at(paths.get(0), "backend", "service", "port", "name"));
        }
    }

    @Test
    void networkPolicyOnlyWithTheComponentAndOpenToWhatKubenurseNeeds() {
        assertTrue(overlay.stream().noneMatch(d -> "NetworkPolicy".equals(d.get("kind"))), "opt-in");
        Map<String, Object> policy = find(monitoring, "NetworkPolicy");
        assertEquals("monitoring", at(policy, "metadata", "namespace"));
        Map<String, Object> podLabels = at(find(monitoring, "DaemonSet"), "spec", "template", "metadata", "labels");
        assertTrue(NetworkPolicies.selects(policy, podLabels), "selects the kubenurse pods");
        assertEquals(List.of("Ingress"), at(policy, "spec", "policyTypes"), "egress is not restricted");

        Source neighbour = Source.pod("monitoring", podLabels);
        assertTrue(NetworkPolicies.admits(policy, neighbour, 8080));
        assertTrue(NetworkPolicies.admits(policy, neighbour, 8443), "neighbours are called on 8443 with TLS");
        Source ingressController = Source.pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Source prometheus = Source.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        for (Source scraperOrProxy : List.of(ingressController, prometheus)) {
            assertTrue(NetworkPolicies.admits(policy, scraperOrProxy, 8080), scraperOrProxy.toString());
            assertFalse(NetworkPolicies.admits(policy, scraperOrProxy, 8443), scraperOrProxy.toString());
        }
        assertFalse(NetworkPolicies.admits(policy, Source.pod("monitoring", Map.of("app", "grafana")), 8080));
        assertFalse(NetworkPolicies.admits(policy, Source.pod("default", podLabels), 8080), "another namespace's kubenurse");
        assertFalse(NetworkPolicies.admits(policy, Source.pod("default", Map.of("app.kubernetes.io/name", "prometheus")), 8080));

        // the UDP probe between the kubenurse pods, on the port they answer on, and to no one else
        Map<String, Object> container = at(find(monitoring, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        List<Map<String, Object>> env = at(container, "env");
        int udpPort = env.stream().filter(e -> "KUBENURSE_UDP_PORT".equals(e.get("name")))
                .map(e -> Integer.parseInt((String) e.get("value"))).findFirst().orElseThrow();
        assertTrue(NetworkPolicies.admits(policy, neighbour, "UDP", udpPort), "the neighbours' UDP probes");
        assertFalse(NetworkPolicies.admits(policy, prometheus, "UDP", udpPort));
        assertFalse(NetworkPolicies.admits(policy, ingressController, "UDP", udpPort));
    }

    @Test
    void theNodeConditionComponentGrantsThePatchSetsTheVariableAndLimitsThePatchByPolicy() {
        List<Map<String, Object>> clusterRules = at(find(nodeCondition, "ClusterRole"), "rules");
        assertEquals(Map.of("apiGroups", List.of(""), "resources", List.of("nodes/status"), "verbs", List.of("patch")),
                clusterRules.getLast());
        Map<String, Object> container = at(find(nodeCondition, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        assertEquals("true", Manifests.env(container).get("KUBENURSE_NODE_CONDITION"));
        List<Map<String, Object>> env = at(container, "env");
        assertEquals(1, env.stream().filter(e -> "KUBENURSE_NODE_CONDITION".equals(e.get("name"))).count(), "replaced, not added");

        Map<String, Object> policy = find(nodeCondition, "ValidatingAdmissionPolicy");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "apiVersions", List.of("v1"), "operations", List.of("UPDATE"),
                "resources", List.of("nodes/status"))), at(policy, "spec", "matchConstraints", "resourceRules"));
        assertEquals("Fail", at(policy, "spec", "failurePolicy"));
        String matched = at(policy, "spec", "matchConditions", 0, "expression");
        assertTrue(matched.contains("endsWith(':kubenurse')"), "the kubenurse service account: " + matched);
        List<Map<String, Object>> variables = at(policy, "spec", "variables");
        assertTrue(((String) variables.getFirst().get("expression")).contains("'authentication.kubernetes.io/node-name'"),
                "the node its token names");
        List<Map<String, Object>> validations = at(policy, "spec", "validations");
        assertEquals("variables.tokenNode != '' && request.name == variables.tokenNode", validations.getFirst().get("expression"));
        assertTrue(validations.stream().allMatch(v -> "Forbidden".equals(v.get("reason"))));
        Map<String, Object> binding = find(nodeCondition, "ValidatingAdmissionPolicyBinding");
        assertEquals((String) at(policy, "metadata", "name"), at(binding, "spec", "policyName"));
        assertEquals(List.of("Deny"), at(binding, "spec", "validationActions"));
        assertTrue(overlay.stream().noneMatch(d -> "ValidatingAdmissionPolicy".equals(d.get("kind"))), "opt-in");
    }
}
