package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kubenurse.deploy.NetworkPolicies.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart through helm itself (helm-java bundles the helm library): lint, template, schema. */
class HelmChartTest {

    static final Path CHART = Manifests.ROOT.resolve("deploy/helm/kubenurse");

    @TempDir
    Path dir;

    @Test
    void lintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void valuesHaveTheSeedsNamesAndDefaults() throws Exception {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        assertEquals(true, values.get("insecure"));
        assertEquals(false, values.get("allow_unschedulable"));
        assertEquals("app.kubernetes.io/name=kubenurse", values.get("neighbour_filter"));
        assertEquals("5s", values.get("check_interval"));
        assertEquals(false, values.get("use_tls"));
        for (String check : List.of("check_api_server_direct", "check_api_server_dns", "check_me_ingress", "check_me_service",
                "check_neighbourhood")) {
            assertEquals(true, values.get(check), check);
        }
        assertEquals(Map.of("enabled", true, "className", "nginx", "annotations", Map.of(), "tlsSecretName", "",
                "url", "dummy-kubenurse.example.com",
                "paths", List.of(Map.of("path", "/alwayshappy", "pathType", "Exact"))), values.get("ingress"));
        assertEquals(false, at(values, "networkPolicy", "enabled"));
        assertEquals(Map.of("enabled", true, "port", 8080, "probes", 20), values.get("udp"));
        assertEquals("", at(values, "daemonset", "image", "digest"));
        assertEquals(Map.of("name", "8080-8080", "port", 8080, "labels", Map.of()), values.get("service"));
        assertEquals(Map.of("enabled", false, "labels", Map.of(), "relabelings", List.of()), values.get("serviceMonitor"));
        assertEquals(Map.of("create", true, "name", ""), values.get("serviceAccount"));
        assertEquals(Map.of("maxUnavailable", "34%"), at(values, "daemonset", "rollingUpdate"));
        assertEquals("kubernetes.default.svc.cluster.local", values.get("kubernetes_service_dns"));
        for (String empty : List.of("service_url", "nameOverride", "fullnameOverride")) {
            assertEquals("", values.get(empty), empty);
        }
        assertEquals(false, values.get("expose_metadata"));
        assertEquals(false, values.get("victoriametrics_histogram"));
        assertEquals("IfNotPresent", at(values, "daemonset", "containerImagePullPolicy"));
        assertEquals(List.of(
                Map.of("effect", "NoSchedule", "key", "node-role.kubernetes.io/master", "operator", "Equal"),
                Map.of("effect", "NoSchedule", "key", "node-role.kubernetes.io/control-plane", "operator", "Equal")),
                at(values, "daemonset", "tolerations"));
    }

    @Test
    void templatesWithDefaults() {
        List<Map<String, Object>> objects = Manifests.documents(new Helm(CHART).template().withName("kubenurse")
                .withNamespace("kube-system").call());
        Map<String, Object> container = at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        Map<String, Object> env = env(container);
        assertEquals("http://kubenurse.kube-system.svc.cluster.local:8080", env.get("KUBENURSE_SERVICE_URL"));
        assertEquals("https://dummy-kubenurse.example.com", env.get("KUBENURSE_INGRESS_URL"));
        assertEquals("true", env.get("KUBENURSE_INSECURE"));
        assertEquals("5s", env.get("KUBENURSE_CHECK_INTERVAL"));
        assertEquals("/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals(true, at(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals("8080-8080", at(find(objects, "Service"), "spec", "ports", 0, "name"));
        // the UDP probe runs by default: its port declared, its settings passed; the Service keeps its one TCP port
        assertEquals(Map.of("name", "udp-probe", "containerPort", 8080, "protocol", "UDP"), at(container, "ports", 1));
        assertEquals("true", env.get("KUBENURSE_CHECK_UDP"));
        assertEquals("8080", env.get("KUBENURSE_UDP_PORT"));
        assertEquals("20", env.get("KUBENURSE_UDP_PROBES"));
        assertEquals(List.of(Map.of("name", "8080-8080", "port", 8080, "protocol", "TCP", "targetPort", "http")),
                at(find(objects, "Service"), "spec", "ports"));
        assertTrue(objects.stream().noneMatch(o -> List.of("ServiceMonitor", "PrometheusRule", "NetworkPolicy").contains(o.get("kind"))));
        assertEquals("ghcr.io/kubenurse-java/kubenurse:0.1.0", at(container, "image"));

        // /alive (pod IPs, node names, request headers) and /metrics stay inside the cluster
        assertEquals(List.of(Map.of("path", "/alwayshappy", "pathType", "Exact",
                "backend", Map.of("service", Map.of("name", "kubenurse", "port", Map.of("number", 8080))))),
                at(find(objects, "Ingress"), "spec", "rules", 0, "http", "paths"));
        // discovery lists and watches; a node is read by name for the uid its Events name (HelmVerdictsTest: the rest)
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("pods"), "verbs", List.of("list", "watch"))),
                at(find(objects, "Role"), "rules"));
        assertEquals(List.of(Map.of("apiGroups", List.of(""), "resources", List.of("nodes"), "verbs", List.of("get", "list", "watch"))),
                at(find(objects, "ClusterRole"), "rules"));
    }

    @Test
    void bindingsNameTheServiceAccountInTheReleaseNamespace() throws Exception {
        List<Map<String, Object>> objects = template("monitoring", "{}");
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            assertEquals(Map.of("kind", "ServiceAccount", "name", "kubenurse", "namespace", "monitoring"),
                    at(find(objects, kind), "subjects", 0), kind);
        }
        assertEquals("monitoring", at(find(objects, "ServiceAccount"), "metadata", "namespace"));
    }

    @Test
    void ingressPathsCanBeOpenedAgainOnPurpose() throws Exception {
        List<Map<String, Object>> objects = template("kube-system", "ingress: {paths: [{path: /, pathType: Prefix}]}");
        List<Map<String, Object>> paths = at(find(objects, "Ingress"), "spec", "rules", 0, "http", "paths");
        assertEquals(List.of("/"), paths.stream().map(p -> p.get("path")).toList());
        assertEquals("Prefix", paths.get(0).get("pathType"));
    }

    @Test
    void imageByDigest() throws Exception {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        List<Map<String, Object>> objects = template("kube-system", "daemonset: {image: {digest: \"" + digest + "\"}}");
        assertEquals("ghcr.io/kubenurse-java/kubenurse@" + digest,
                at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0, "image"));
        assertThrows(Exception.class, () -> template("kube-system", "daemonset: {image: {digest: \"0.1.0\"}}"));
    }

    @Test
    void networkPolicyWhenEnabled() throws Exception {
        Map<String, Object> policy = find(template("monitoring", "networkPolicy: {enabled: true}"), "NetworkPolicy");
        Map<String, Object> podLabels = Map.of("app.kubernetes.io/name", "kubenurse", "app.kubernetes.io/instance", "kubenurse");
        assertTrue(NetworkPolicies.selects(policy, podLabels), "selects the kubenurse pods");
        assertFalse(NetworkPolicies.selects(policy, Map.of("app.kubernetes.io/name", "kubenurse", "app.kubernetes.io/instance", "other")),
                "another release's pods are not ours to isolate");
        assertEquals(List.of("Ingress"), at(policy, "spec", "policyTypes"), "egress is not restricted");
        Source neighbour = Source.pod("monitoring", podLabels);
        assertTrue(NetworkPolicies.admits(policy, neighbour, 8080));
        assertFalse(NetworkPolicies.admits(policy, neighbour, 8443), "nothing listens on 8443 without TLS");
        Source ingressController = Source.pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
        Source prometheus = Source.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        assertTrue(NetworkPolicies.admits(policy, ingressController, 8080));
        assertTrue(NetworkPolicies.admits(policy, prometheus, 8080));
        assertFalse(NetworkPolicies.admits(policy, Source.pod("monitoring", Map.of("app", "grafana")), 8080));
        assertFalse(NetworkPolicies.admits(policy, Source.pod("default", podLabels), 8080), "another namespace's kubenurse");

        Map<String, Object> tls = find(template("monitoring", "{networkPolicy: {enabled: true}, use_tls: true}"), "NetworkPolicy");
        assertTrue(NetworkPolicies.admits(tls, neighbour, 8443));
        assertFalse(NetworkPolicies.admits(tls, prometheus, 8443), "the Service and the scrape use 8080");

        assertTrue(NetworkPolicies.admits(policy, neighbour, "UDP", 8080), "the neighbours' UDP probes");
        assertFalse(NetworkPolicies.admits(policy, prometheus, "UDP", 8080), "only kubenurse probes");
        assertFalse(NetworkPolicies.admits(policy, ingressController, "UDP", 8080));
    }

    @Test
    void udpProbeSettingsReachThePortTheEnvironmentAndThePolicy() throws Exception {
        List<Map<String, Object>> objects = template("monitoring", "{networkPolicy: {enabled: true}, udp: {port: 9999, probes: 50}}");
        Map<String, Object> container = at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        assertEquals(List.of(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
                Map.of("name", "udp-probe", "containerPort", 9999, "protocol", "UDP")), at(container, "ports"));
        assertEquals("9999", env(container).get("KUBENURSE_UDP_PORT"));
        assertEquals("50", env(container).get("KUBENURSE_UDP_PROBES"));
        Map<String, Object> policy = find(objects, "NetworkPolicy");
        Source neighbour = Source.pod("monitoring", Map.of("app.kubernetes.io/name", "kubenurse"));
        assertTrue(NetworkPolicies.admits(policy, neighbour, "UDP", 9999));
        assertFalse(NetworkPolicies.admits(policy, neighbour, "UDP", 8080), "only the port in use");
        assertFalse(NetworkPolicies.admits(policy, neighbour, 9999), "UDP only");

        List<Map<String, Object>> off = template("monitoring", "{networkPolicy: {enabled: true}, udp: {enabled: false}}");
        Map<String, Object> offContainer = at(find(off, "DaemonSet"), "spec", "template", "spec", "containers", 0);
        assertEquals("false", env(offContainer).get("KUBENURSE_CHECK_UDP"));
        List<Map<String, Object>> offPorts = at(offContainer, "ports");
        assertEquals(List.of("http"), offPorts.stream().map(p -> p.get("name")).toList());
        assertFalse(NetworkPolicies.admits(find(off, "NetworkPolicy"), neighbour, "UDP", 8080), "nothing answers UDP then");
    }

    @Test
    void networkPolicyPeersAreTheOperatorsAndNeverEveryone() throws Exception {
        Map<String, Object> policy = find(template("kube-system", """
                networkPolicy:
                  enabled: true
                  ingressControllerPeers: []
                  prometheusPeers:
                    - namespaceSelector: {matchLabels: {team: observability}}
                """), "NetworkPolicy");
        Source anyPod = new Source("metrics", Map.of("team", "observability"), Map.of());
        assertTrue(NetworkPolicies.admits(policy, anyPod, 8080));
        // an empty peer list must drop the rule: a rule without `from` would admit every source
        assertFalse(NetworkPolicies.admits(policy, Source.pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")), 8080));
        assertFalse(NetworkPolicies.admits(policy, Source.pod("default", Map.of()), 8080));
    }

    @Test
    void templatesWithEveryValueSet() throws Exception {
        Path values = Files.writeString(dir.resolve("all.yaml"), """
                daemonset:
                  image: {repository: registry.example.com/kubenurse, tag: "9.9.9"}
                  podLabels: {team: network}
                  podAnnotations: {note: hello}
                  podSecurityContext: {runAsNonRoot: true, runAsUser: 1000}
                  containerSecurityContext: {readOnlyRootFilesystem: true}
                  containerResources: {requests: {memory: 100Mi}}
                  containerImagePullPolicy: Always
                  tolerations: [{operator: Exists}]
                  dnsConfig: {options: [{name: ndots, value: "1"}]}
                  volumeMounts: [{name: certs, mountPath: /certs, readOnly: true}]
                  volumes: [{name: certs, secret: {secretName: kubenurse-tls}}]
                serviceMonitor: {enabled: true, labels: {release: prometheus}}
                serviceAccount: {name: nurse}
                service: {name: metrics, port: 9090, labels: {extra: "yes"}}
                ingress: {enabled: true, className: traefik, url: nurse.example.org}
                insecure: false
                allow_unschedulable: true
                neighbour_filter: app=nurse
                extra_ca: /certs/ca.crt
                check_api_server_direct: false
                check_api_server_dns: false
                check_me_ingress: false
                check_me_service: false
                check_neighbourhood: false
                check_interval: 10s
                use_tls: true
                cert_file: /certs/tls.crt
                cert_key: /certs/tls.key
                neighbour_limit: 3
                extra_checks: "google:https://www.google.com"
                shutdown_duration: 10s
                histogram_buckets: "0.01,0.1,1"
                reuse_connections: true
                prometheusRule: {enabled: true, labels: {release: prometheus}}
                imagePullSecrets: [{name: regcred}]
                extraObjects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: "{{ .Release.Name }}-extra"}
                """);
        List<Map<String, Object>> objects = Manifests.documents(new Helm(CHART).template().withName("nurse")
                .withNamespace("monitoring").withValuesFile(values).call());
        Map<String, Object> pod = at(find(objects, "DaemonSet"), "spec", "template", "spec");
        Map<String, Object> env = env(at(pod, "containers", 0));
        assertEquals("registry.example.com/kubenurse:9.9.9", at(pod, "containers", 0, "image"));
        assertEquals("nurse", at(pod, "serviceAccountName"));
        assertEquals("app=nurse", env.get("KUBENURSE_NEIGHBOUR_FILTER"));
        assertEquals("3", env.get("KUBENURSE_NEIGHBOUR_LIMIT"));
        assertEquals("true", env.get("KUBENURSE_USE_TLS"));
        assertEquals("/certs/tls.key", env.get("KUBENURSE_CERT_KEY"));
        assertEquals("google:https://www.google.com", env.get("KUBENURSE_EXTRA_CHECKS"));
        assertEquals("0.01,0.1,1", env.get("KUBENURSE_HISTOGRAM_BUCKETS"));
        assertEquals("true", env.get("KUBENURSE_REUSE_CONNECTIONS"));
        assertEquals((Object) 8443, at(pod, "containers", 0, "ports", 1, "containerPort"));
        assertEquals("network", at(find(objects, "DaemonSet"), "spec", "template", "metadata", "labels", "team"));
        assertEquals("regcred", at(pod, "imagePullSecrets", 0, "name"));
        assertEquals("prometheus", at(find(objects, "ServiceMonitor"), "metadata", "labels", "release"));
        assertEquals(7, ((List<?>) at(find(objects, "PrometheusRule"), "spec", "groups", 0, "rules")).size());
        assertEquals("nurse-extra", at(find(objects, "ConfigMap"), "metadata", "name"));
        assertEquals("traefik", at(find(objects, "Ingress"), "spec", "ingressClassName"));
        assertEquals("/alwayshappy", at(find(objects, "Ingress"), "spec", "rules", 0, "http", "paths", 0, "path"));
    }

    private List<Map<String, Object>> template(String namespace, String values) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "values", ".yaml"), values);
        return Manifests.documents(new Helm(CHART).template().withName("kubenurse").withNamespace(namespace)
                .withValuesFile(file).call());
    }

    @Test
    void aTypoOrAWrongTypeIsRejectedByTheSchema() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "insecur: true\n");
        Exception e = assertThrows(Exception.class, () -> new Helm(CHART).template().withValuesFile(typo).call());
        assertTrue(e.getMessage().contains("insecur"), e.getMessage());
        Path wrongType = Files.writeString(dir.resolve("type.yaml"), "neighbour_limit: ten\n");
        Exception e2 = assertThrows(Exception.class, () -> new Helm(CHART).template().withValuesFile(wrongType).call());
        assertTrue(e2.getMessage().contains("neighbour_limit"), e2.getMessage());
        Path badDuration = Files.writeString(dir.resolve("duration.yaml"), "check_interval: 5x\n");
        assertThrows(Exception.class, () -> new Helm(CHART).template().withValuesFile(badDuration).call());
        Exception e3 = assertThrows(Exception.class, () -> template("kube-system", "networkPolicy: {enable: true}"));
        assertTrue(e3.getMessage().contains("enable"), e3.getMessage());
        assertThrows(Exception.class, () -> template("kube-system", "ingress: {paths: [{path: /, pathType: Everything}]}"));
        Exception e4 = assertThrows(Exception.class, () -> template("kube-system", "udp: {probe: 20}"));
        assertTrue(e4.getMessage().contains("probe"), e4.getMessage());
        assertThrows(Exception.class, () -> template("kube-system", "udp: {probes: 0}"));
        assertThrows(Exception.class, () -> template("kube-system", "udp: {probes: 1001}"));
        assertThrows(Exception.class, () -> template("kube-system", "udp: {port: 65536}"));
        assertThrows(Exception.class, () -> template("kube-system", "udp: {enabled: \"yes\"}"));
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
    }
}
