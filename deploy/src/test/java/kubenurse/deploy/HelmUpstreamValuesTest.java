package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart as a drop-in for the Go chart: its values.yaml unchanged, and each of its keys meaning the same. */
class HelmUpstreamValuesTest {

    static final Path UPSTREAM_VALUES = Manifests.ROOT.resolve("deploy/src/test/resources/helm/upstream-values.yaml");

    /** Kinds that carry the resource name (the ClusterRole and its binding add "-<namespace>"). */
    static final Set<String> NAMED = Set.of("DaemonSet", "Service", "Ingress", "ServiceAccount", "Role", "RoleBinding",
            "ServiceMonitor", "PrometheusRule", "NetworkPolicy", "HTTPRoute");

    @TempDir
    Path dir;

    @Test
    void upstreamValuesWithOurImageRenderAsOurDefaults() throws Exception {
        // the file names the Go image, which the chart refuses (HelmSwitchFromGoTest): ours is the one change
        List<Map<String, Object>> upstream = Manifests.helmTemplate(HelmChartTest.CHART, dir, "kubenurse", "kube-system",
                Files.readString(UPSTREAM_VALUES), HelmSwitchFromGoTest.OUR_IMAGE);
        List<Map<String, Object>> ours = template("kubenurse", "kube-system", "{}");
        Map<String, Object> container = at(find(upstream, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        // every other key at upstream's default renders exactly what our defaults render
        assertEquals(ours, upstream);

        Map<String, Object> env = env(container);
        assertEquals("kubernetes.default.svc.cluster.local", env.get("KUBERNETES_SERVICE_DNS"));
        assertEquals("http://kubenurse.kube-system.svc.cluster.local:8080", env.get("KUBENURSE_SERVICE_URL"));
        assertEquals("false", env.get("KUBENURSE_EXPOSE_METADATA"));
        assertEquals("false", env.get("KUBENURSE_VICTORIAMETRICS_HISTOGRAM"));
        assertEquals(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxUnavailable", "34%")),
                at(find(upstream, "DaemonSet"), "spec", "updateStrategy"), "maxSurge unset, as upstream");
        assertEquals("kubenurse", at(find(upstream, "ServiceAccount"), "metadata", "name"));
        assertEquals(List.of(Map.of("hosts", List.of("dummy-kubenurse.example.com"))), at(find(upstream, "Ingress"), "spec", "tls"),
                "no tlsSecretName: the host, no Secret");
        assertNull(at(find(upstream, "Ingress"), "metadata", "annotations"));
        assertTrue(upstream.stream().noneMatch(o -> "HTTPRoute".equals(o.get("kind"))));
        assertNull(at(find(upstream, "DaemonSet"), "spec", "template", "spec", "priorityClassName"));
    }

    @Test
    void resourceNamesAreTheGoChartsNames() throws Exception {
        assertNames("kubenurse", "kubenurse", "kubenurse", "");
        assertNames("prod-kubenurse", "kubenurse", "prod", "");
        assertNames("kubenurse-prod", "kubenurse", "kubenurse-prod", "");
        assertNames("prod-nanny", "nanny", "prod", "nameOverride: nanny");
        assertNames("netcheck", "nanny", "prod", "nameOverride: nanny\nfullnameOverride: netcheck");
    }

    private void assertNames(String expected, String nameLabel, String release, String values) throws Exception {
        List<Map<String, Object>> objects = template(release, "monitoring", """
                serviceMonitor: {enabled: true}
                prometheusRule: {enabled: true}
                networkPolicy: {enabled: true}
                httpRoute: {enabled: true}
                """ + values + "\n");
        for (Map<String, Object> object : objects) {
            String kind = (String) object.get("kind");
            String name = at(object, "metadata", "name");
            // the Events' Role and binding live in "default", shared by the releases of every namespace, as the
            // cluster-scoped objects are
            boolean shared = kind.startsWith("ClusterRole") || "default".equals(at(object, "metadata", "namespace"));
            if (shared) {
                assertEquals(expected + "-monitoring", name, kind);
            } else if (NAMED.contains(kind)) {
                assertEquals(expected, name, kind);
            }
            // nameOverride, not fullnameOverride, names the label, as in the Go chart
            assertEquals(nameLabel, at(object, "metadata", "labels", "app.kubernetes.io/name"), kind);
        }
        Map<String, Object> pod = at(find(objects, "DaemonSet"), "spec", "template", "spec");
        assertEquals(expected, pod.get("serviceAccountName"));
        assertEquals("http://" + expected + ".monitoring.svc.cluster.local:8080", env(at(pod, "containers", 0)).get("KUBENURSE_SERVICE_URL"));
        assertEquals(expected, at(find(objects, "Ingress"), "spec", "rules", 0, "http", "paths", 0, "backend", "service", "name"));
        assertEquals(expected, at(find(objects, "HTTPRoute"), "spec", "rules", 0, "backendRefs", 0, "name"));
        assertEquals(expected, at(find(objects, "RoleBinding"), "roleRef", "name"));
        assertEquals(expected + "-monitoring", at(find(objects, "ClusterRoleBinding"), "roleRef", "name"));
    }

    @Test
    void everyUpstreamKeyAtANonDefaultValue() throws Exception {
        List<Map<String, Object>> objects = template("nurse", "monitoring", """
                daemonset:
                  extraEnvs:
                    - {name: HTTP_PROXY, value: "http://proxy:3128"}
                    - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                  priorityClassName: system-node-critical
                  rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
                  dnsConfig: {options: [{name: ndots, value: "1"}]}
                  volumeMounts: [{name: ca, mountPath: /ca, readOnly: true}]
                  volumes: [{name: ca, configMap: {name: ca-bundle}}]
                serviceMonitor:
                  enabled: true
                  relabelings: [{sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: nodename, action: replace}]
                service_url: "http://nurse-svc.example:9000"
                kubernetes_service_dns: kubernetes.default.svc.example.internal
                expose_metadata: true
                victoriametrics_histogram: true
                nameOverride: nanny
                serviceAccount: {create: true, name: nurse-sa}
                service: {name: web, port: 9000, labels: {tier: infra}}
                ingress:
                  enabled: true
                  className: traefik
                  annotations: {cert-manager.io/cluster-issuer: letsencrypt}
                  tlsSecretName: nurse-tls
                  url: nurse.example.org
                imagePullSecrets: [{name: regcred}]
                extraObjects: [{apiVersion: v1, kind: ConfigMap, metadata: {name: "{{ .Release.Name }}-extra"}}]
                httpRoute:
                  enabled: true
                  annotations: {team: net}
                  parentRefs: [{name: public, namespace: gateways}]
                  hostnames: [nurse.example.org]
                  rules: [{matches: [{path: {type: Exact, value: /alwayshappy}}], filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-from, value: gw}]}}]}]
                """);
        Map<String, Object> ds = find(objects, "DaemonSet");
        Map<String, Object> pod = at(ds, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", 0);
        List<Map<String, Object>> envList = at(container, "env");
        assertEquals(List.of(Map.of("name", "HTTP_PROXY", "value", "http://proxy:3128"),
                Map.of("name", "HOST_IP", "valueFrom", Map.of("fieldRef", Map.of("fieldPath", "status.hostIP")))),
                envList.subList(envList.size() - 2, envList.size()), "extraEnvs last");
        assertEquals("system-node-critical", pod.get("priorityClassName"));
        assertEquals(Map.of("maxUnavailable", 0, "maxSurge", 1), at(ds, "spec", "updateStrategy", "rollingUpdate"));
        assertEquals(List.of(Map.of("name", "ndots", "value", "1")), at(pod, "dnsConfig", "options"));
        assertEquals("/ca", at(container, "volumeMounts", 0, "mountPath"));
        assertEquals("ca-bundle", at(pod, "volumes", 0, "configMap", "name"));
        assertEquals(List.of(Map.of("sourceLabels", List.of("__meta_kubernetes_pod_node_name"), "targetLabel", "nodename",
                "action", "replace")), at(find(objects, "ServiceMonitor"), "spec", "endpoints", 0, "relabelings"));
        assertEquals("web", at(find(objects, "ServiceMonitor"), "spec", "endpoints", 0, "port"));

        Map<String, Object> env = env(container);
        assertEquals("http://nurse-svc.example:9000", env.get("KUBENURSE_SERVICE_URL"));
        assertEquals("kubernetes.default.svc.example.internal", env.get("KUBERNETES_SERVICE_DNS"));
        assertFalse(env.containsKey("KUBENURSE_KUBERNETES_SERVICE_DNS"), "one name only: no conflict to report");
        assertEquals("true", env.get("KUBENURSE_EXPOSE_METADATA"));
        assertEquals("true", env.get("KUBENURSE_VICTORIAMETRICS_HISTOGRAM"));
        assertEquals("https://nurse.example.org", env.get("KUBENURSE_INGRESS_URL"));

        assertEquals("nurse-nanny", at(ds, "metadata", "name"));
        assertEquals("nurse-sa", pod.get("serviceAccountName"));
        assertEquals("nurse-sa", at(find(objects, "ServiceAccount"), "metadata", "name"));
        assertEquals("nurse-sa", at(find(objects, "RoleBinding"), "subjects", 0, "name"));

        Map<String, Object> service = find(objects, "Service");
        assertEquals(Map.of("name", "web", "port", 9000, "targetPort", "http", "protocol", "TCP"), at(service, "spec", "ports", 0));
        assertEquals("infra", at(service, "metadata", "labels", "tier"));

        Map<String, Object> ingress = find(objects, "Ingress");
        assertEquals("traefik", at(ingress, "spec", "ingressClassName"));
        assertEquals(Map.of("cert-manager.io/cluster-issuer", "letsencrypt"), at(ingress, "metadata", "annotations"));
        assertEquals(List.of(Map.of("hosts", List.of("nurse.example.org"), "secretName", "nurse-tls")), at(ingress, "spec", "tls"));
        assertEquals("nurse.example.org", at(ingress, "spec", "rules", 0, "host"));
        assertEquals(Map.of("name", "nurse-nanny", "port", Map.of("number", 9000)),
                at(ingress, "spec", "rules", 0, "http", "paths", 0, "backend", "service"));

        assertEquals(List.of(Map.of("name", "regcred")), pod.get("imagePullSecrets"));
        assertEquals("nurse-extra", at(find(objects, "ConfigMap"), "metadata", "name"));

        Map<String, Object> route = find(objects, "HTTPRoute");
        assertEquals(Map.of("team", "net"), at(route, "metadata", "annotations"));
        assertEquals(List.of(Map.of("name", "public", "namespace", "gateways")), at(route, "spec", "parentRefs"));
        assertEquals(List.of("nurse.example.org"), at(route, "spec", "hostnames"));
        assertEquals(List.of(Map.of("name", "nurse-nanny", "port", 9000)), at(route, "spec", "rules", 0, "backendRefs"));
        assertEquals("/alwayshappy", at(route, "spec", "rules", 0, "matches", 0, "path", "value"));
        assertEquals("RequestHeaderModifier", at(route, "spec", "rules", 0, "filters", 0, "type"));
    }

    @Test
    void withoutACreatedServiceAccountThePodsRunAsTheNamedOneOrDefault() throws Exception {
        List<Map<String, Object>> named = template("kubenurse", "kube-system", "serviceAccount: {create: false, name: existing}");
        assertTrue(named.stream().noneMatch(o -> "ServiceAccount".equals(o.get("kind"))));
        assertEquals("existing", at(find(named, "DaemonSet"), "spec", "template", "spec", "serviceAccountName"));
        assertEquals("existing", at(find(named, "ClusterRoleBinding"), "subjects", 0, "name"));
        List<Map<String, Object>> unnamed = template("kubenurse", "kube-system", "serviceAccount: {create: false}");
        assertEquals("default", at(find(unnamed, "DaemonSet"), "spec", "template", "spec", "serviceAccountName"));
    }

    @Test
    void withoutTheIngressCheckThereIsNoIngressCheckUrl() throws Exception {
        List<Map<String, Object>> objects = template("kubenurse", "kube-system", "check_me_ingress: false");
        assertFalse(env(at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0)).containsKey("KUBENURSE_INGRESS_URL"));
        assertEquals("false", env(at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0)).get("KUBENURSE_CHECK_ME_INGRESS"));
    }

    @Test
    void theSchemaNamesThePathOfATypoOrAWrongType() {
        // values -> what the message must name: the key's path (helm prints a.b or /a/b), and a typo's own name
        Map<String, List<String>> rejected = new LinkedHashMap<>();
        rejected.put("daemonset: {rollingUpdate: {maxUnavailabel: 1}}", List.of("daemonset.rollingUpdate", "maxUnavailabel"));
        rejected.put("daemonset: {rollingUpdate: {maxUnavailable: many}}", List.of("daemonset.rollingUpdate.maxUnavailable"));
        rejected.put("daemonset: {extraEnvs: [{value: x}]}", List.of("daemonset.extraEnvs"));
        rejected.put("daemonset: {extraEnvs: {HTTP_PROXY: x}}", List.of("daemonset.extraEnvs"));
        rejected.put("daemonset: {priorityClassName: 5}", List.of("daemonset.priorityClassName"));
        rejected.put("serviceMonitor: {relabelings: {action: drop}}", List.of("serviceMonitor.relabelings"));
        rejected.put("expose_metadata: \"yes\"", List.of("expose_metadata"));
        rejected.put("victoriametrics_histogram: 1", List.of("victoriametrics_histogram"));
        rejected.put("kubernetes_service_dns: \"\"", List.of("kubernetes_service_dns"));
        rejected.put("service_url: nurse:8080", List.of("service_url"));
        rejected.put("serviceAccount: {create: \"false\"}", List.of("serviceAccount.create"));
        rejected.put("ingress: {tlsSecret: nurse-tls}", List.of("ingress", "tlsSecret"));
        rejected.put("ingress: {annotations: [a]}", List.of("ingress.annotations"));
        rejected.put("fullnameOverride: Nurse_1", List.of("fullnameOverride"));
        rejected.put("httpRoute: {enable: true}", List.of("httpRoute", "enable"));
        for (Map.Entry<String, List<String>> entry : rejected.entrySet()) {
            Exception e = assertThrows(Exception.class, () -> template("kubenurse", "kube-system", entry.getKey()), entry.getKey());
            for (String path : entry.getValue()) {
                assertTrue(e.getMessage().contains(path) || e.getMessage().contains("/" + path.replace('.', '/')),
                        entry.getKey() + " names " + path + ": " + e.getMessage());
            }
        }
    }

    private List<Map<String, Object>> template(String release, String namespace, String values) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "values", ".yaml"), values);
        return Manifests.documents(new Helm(HelmChartTest.CHART).template().withName(release).withNamespace(namespace)
                .withValuesFile(file).call());
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
    }
}
