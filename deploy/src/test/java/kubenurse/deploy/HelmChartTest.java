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
        assertEquals(Map.of("enabled", true, "className", "nginx", "url", "dummy-kubenurse.example.com"), values.get("ingress"));
        assertEquals(Map.of("name", "8080-8080", "port", 8080, "labels", Map.of()), values.get("service"));
        assertEquals(Map.of("enabled", false, "labels", Map.of()), values.get("serviceMonitor"));
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
        assertTrue(objects.stream().noneMatch(o -> "ServiceMonitor".equals(o.get("kind")) || "PrometheusRule".equals(o.get("kind"))));
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
        assertEquals(6, ((List<?>) at(find(objects, "PrometheusRule"), "spec", "groups", 0, "rules")).size());
        assertEquals("nurse-extra", at(find(objects, "ConfigMap"), "metadata", "name"));
        assertEquals("traefik", at(find(objects, "Ingress"), "spec", "ingressClassName"));
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
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
    }
}
