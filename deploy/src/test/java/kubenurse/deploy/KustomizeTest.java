package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kustomize base and example overlay, rendered by the real kubectl and checked object by object. */
class KustomizeTest {

    static List<Map<String, Object>> base;
    static List<Map<String, Object>> overlay;

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(Manifests.onPath("kubectl"), "kubectl not installed: kustomize rendering not checked");
        base = Manifests.documents(kustomize("deploy/kustomize/base"));
        overlay = Manifests.documents(kustomize("deploy/kustomize/overlays/example"));
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
    void rbacIsPodsInTheNamespaceAndNodesClusterWideReadOnly() {
        List<Map<String, Object>> roleRules = at(find(base, "Role"), "rules");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("pods"),
                "verbs", List.of("get", "list", "watch"))), roleRules);
        List<Map<String, Object>> clusterRules = at(find(base, "ClusterRole"), "rules");
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("nodes"),
                "verbs", List.of("get", "list", "watch"))), clusterRules);
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

        Map<String, Map<String, Object>> env = ((List<Map<String, Object>>) at(container, "env")).stream()
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
    }

    @Test
    void serviceIsScrapedAndOverlayPlacesEverythingInKubeSystem() {
        Map<String, Object> service = find(base, "Service");
        assertEquals((Object) 8080, at(service, "spec", "ports", 0, "port"));
        assertEquals("true", at(service, "metadata", "annotations", "prometheus.io/scrape"));
        assertTrue(overlay.stream().filter(d -> !List.of("ClusterRole", "ClusterRoleBinding").contains(d.get("kind")))
                .allMatch(d -> "kube-system".equals(at(d, "metadata", "namespace"))));
        assertEquals("kubenurse.apps.example.org", at(find(overlay, "Ingress"), "spec", "rules", 0, "host"));
        find(overlay, "PodMonitor");
        find(overlay, "PrometheusRule");
    }
}
