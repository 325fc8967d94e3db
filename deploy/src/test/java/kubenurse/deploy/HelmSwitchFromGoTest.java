package kubenurse.deploy;

import static kubenurse.deploy.HelmChartTest.CHART;
import static kubenurse.deploy.HelmUpstreamValuesTest.UPSTREAM_VALUES;
import static kubenurse.deploy.Manifests.at;
import static kubenurse.deploy.Manifests.env;
import static kubenurse.deploy.Manifests.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kubenurse.deploy.NetworkPolicies.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Switching from the Go chart (v1.15.3) with its values file (issue 19): upstream's values plus one change per
 * case, each a case the chart used to get silently different from upstream.
 */
class HelmSwitchFromGoTest {

    static final String OUR_REPOSITORY = "ghcr.io/kubenurse-java/kubenurse";
    /** The one change upstream's values need: our image (the chart refuses the Go one). */
    static final String OUR_IMAGE = "daemonset: {image: {repository: " + OUR_REPOSITORY + "}}";

    @TempDir
    Path dir;

    @Test
    void theGoImageIsRefusedInOneLineThatSaysWhatToSet() throws Exception {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        assertEquals(OUR_REPOSITORY, at(values, "daemonset", "image", "repository"), "the message names the default");
        List<String> goImages = List.of("{}", // upstream's values as they are: postfinance/kubenurse
                "daemonset: {image: {repository: docker.io/postfinance/kubenurse, tag: v1.15.3}}",
                "daemonset: {image: {repository: quay.io/postfinance/kubenurse}}",
                "daemonset: {image: {repository: registry.example.com:5000/hub/postfinance/kubenurse}}");
        for (String change : goImages) {
            Exception e = assertThrows(Exception.class,
                    () -> Manifests.helmTemplate(CHART, dir, "kubenurse", "kube-system", Files.readString(UPSTREAM_VALUES), change),
                    change);
            List<String> lines = e.getMessage().lines().filter(l -> l.contains("daemonset.image.repository")).toList();
            assertEquals(1, lines.size(), e.getMessage());
            assertTrue(lines.getFirst().contains(OUR_REPOSITORY), e.getMessage());
        }
        // a repository merely holding the name is someone's own build
        Map<String, Object> container = at(find(upstreamWith("daemonset: {image: {repository: example.org/postfinance/kubenurse-java}}"),
                "DaemonSet"), "spec", "template", "spec", "containers", 0);
        assertEquals("example.org/postfinance/kubenurse-java:0.1.0", container.get("image"));
    }

    @Test
    void globalValuesAreAcceptedAtTheRoot() throws Exception {
        assertEquals(upstreamWith("{}"), upstreamWith("global: {imageRegistry: registry.example.com, labels: {team: [net]}}"));
    }

    @Test
    void theChartRendersAsASubchart() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("platform"));
        Files.writeString(parent.resolve("Chart.yaml"), """
                apiVersion: v2
                name: platform
                version: 1.0.0
                dependencies:
                  - name: kubenurse
                    version: 0.1.0
                """);
        Path sub = Files.createDirectories(parent.resolve("charts")).resolve("kubenurse");
        try (var files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Files.copy(file, sub.resolve(CHART.relativize(file).toString()));
            }
        }
        Map<String, Object> kubenurse = new Yaml().load(Files.readString(UPSTREAM_VALUES));
        Map<String, Object> image = at(kubenurse, "daemonset", "image");
        image.put("repository", OUR_REPOSITORY);
        // helm hands global to every subchart, whether the parent sets any or not
        String values = new Yaml().dump(Map.of("global", Map.of("imageRegistry", "registry.example.com"), "kubenurse", kubenurse));
        List<Map<String, Object>> objects = Manifests.helmTemplate(parent, dir, "platform", "monitoring", values);
        assertEquals("platform-kubenurse", at(find(objects, "DaemonSet"), "metadata", "name"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTypoInsideOurObjectsNamesTheKeyAndTheAcceptedOnes() throws Exception {
        Map<String, Object> schema = new Yaml().load(Files.readString(CHART.resolve("values.schema.json")));
        Map<List<String>, Map<String, Object>> closed = new LinkedHashMap<>();
        collectClosed(new ArrayList<>(), schema, closed);
        assertTrue(closed.size() >= 12, "closed objects found: " + closed.keySet());
        for (Map.Entry<List<String>, Map<String, Object>> entry : closed.entrySet()) {
            List<String> path = entry.getKey();
            Set<String> accepted = new TreeSet<>(((Map<String, Object>) entry.getValue().get("properties")).keySet());
            if (entry.getValue().get("propertyNames") instanceof Map<?, ?> names) {
                assertEquals(accepted, new TreeSet<>((List<?>) names.get("enum")), path + ": propertyNames and properties agree");
            }
            String values = new Yaml().dump(nest(path, Map.of("enabeld", true)));
            Exception e = assertThrows(Exception.class, () -> upstreamWith(values), values);
            String where = path.isEmpty() ? "(root)" : String.join(".", path).replace("[]", "0");
            assertTrue(e.getMessage().contains(where + ":") && e.getMessage().contains("enabeld"), values + e.getMessage());
            for (String key : accepted) {
                assertTrue(e.getMessage().contains("\"" + key + "\""), values + " names the accepted key " + key + ": " + e.getMessage());
            }
        }
    }

    @Test
    void extraObjectsMayBeTemplateStrings() throws Exception {
        List<Map<String, Object>> objects = upstreamWith("""
                extraObjects:
                  - |
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {{ .Release.Name }}-from-string
                    data:
                      namespace: {{ .Release.Namespace }}
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: "{{ .Release.Name }}-from-object"}
                """);
        List<Map<String, Object>> configMaps = objects.stream().filter(o -> "ConfigMap".equals(o.get("kind"))).toList();
        assertEquals(List.of("kubenurse-from-string", "kubenurse-from-object"),
                configMaps.stream().map(o -> at(o, "metadata", "name")).toList());
        assertEquals("kube-system", at(configMaps.getFirst(), "data", "namespace"));
    }

    @Test
    void withoutTheChartsIngressTheIngressCheckStillHasItsUrl() throws Exception {
        // an operator with their own Ingress or Route for ingress.url keeps me_ingress
        List<Map<String, Object>> objects = upstreamWith("ingress: {enabled: false}");
        assertTrue(objects.stream().noneMatch(o -> "Ingress".equals(o.get("kind"))));
        assertEquals("https://dummy-kubenurse.example.com",
                env(at(find(objects, "DaemonSet"), "spec", "template", "spec", "containers", 0)).get("KUBENURSE_INGRESS_URL"));
    }

    @Test
    void theIngressAlwaysListsItsHostForTls() throws Exception {
        // without tlsSecretName the controller's default certificate serves it, as upstream
        assertEquals(List.of(Map.of("hosts", List.of("dummy-kubenurse.example.com"))),
                at(find(upstreamWith("{}"), "Ingress"), "spec", "tls"));
        assertEquals(List.of(Map.of("hosts", List.of("dummy-kubenurse.example.com"), "secretName", "nurse-tls")),
                at(find(upstreamWith("ingress: {tlsSecretName: nurse-tls}"), "Ingress"), "spec", "tls"));
    }

    @Test
    void onlyThePodsCarryPrometheusAnnotations() throws Exception {
        // a Service annotated too is scraped twice by a plain Prometheus: once per pod, once through the Service
        List<Map<String, Object>> objects = upstreamWith("{}");
        assertNull(at(find(objects, "Service"), "metadata", "annotations"));
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/path", "/metrics", "prometheus.io/port", "8080"),
                at(find(objects, "DaemonSet"), "spec", "template", "metadata", "annotations"));
    }

    @Test
    void nameOverrideGivesUpstreamsSelectorAndThePodsStillFindEachOther() throws Exception {
        assertEquals(Map.of("app.kubernetes.io/name", "kubenurse", "app.kubernetes.io/instance", "kubenurse"),
                at(find(upstreamWith("{}"), "DaemonSet"), "spec", "selector", "matchLabels"));

        List<Map<String, Object>> objects = upstreamWith("nameOverride: nanny");
        Map<String, Object> ds = find(objects, "DaemonSet");
        // a DaemonSet's selector is immutable: anything but upstream's makes helm upgrade fail
        Map<String, Object> selector = Map.of("app.kubernetes.io/name", "nanny", "app.kubernetes.io/instance", "kubenurse");
        assertEquals(selector, at(ds, "spec", "selector", "matchLabels"));
        assertEquals(selector, at(find(objects, "Service"), "spec", "selector"));
        Map<String, Object> podLabels = at(ds, "spec", "template", "metadata", "labels");
        String filter = (String) env(at(ds, "spec", "template", "spec", "containers", 0)).get("KUBENURSE_NEIGHBOUR_FILTER");
        assertEquals("app.kubernetes.io/name=nanny", filter);
        for (String requirement : filter.split(",")) {
            String[] pair = requirement.split("=", 2);
            assertEquals(pair[1], podLabels.get(pair[0]), "the neighbour filter selects the pods: " + filter + " " + podLabels);
        }
        for (Map<String, Object> object : objects) {
            assertEquals("nanny", at(object, "metadata", "labels", "app.kubernetes.io/name"), (String) object.get("kind"));
        }
        Map<String, Object> policy = find(upstreamWith("{nameOverride: nanny, networkPolicy: {enabled: true}}"), "NetworkPolicy");
        assertTrue(NetworkPolicies.selects(policy, podLabels));
        assertTrue(NetworkPolicies.admits(policy, Source.pod("kube-system", podLabels), 8080), "the neighbours reach each other");

        // an operator's own filter is theirs
        assertEquals("team=net", env(at(find(upstreamWith("{nameOverride: nanny, neighbour_filter: team=net}"), "DaemonSet"),
                "spec", "template", "spec", "containers", 0)).get("KUBENURSE_NEIGHBOUR_FILTER"));
    }

    private List<Map<String, Object>> upstreamWith(String change) throws Exception {
        return Manifests.helmTemplate(CHART, dir, "kubenurse", "kube-system", Files.readString(UPSTREAM_VALUES), OUR_IMAGE, change);
    }

    /** Every object of the schema that refuses unknown keys, by path ("[]" for an array's items). */
    @SuppressWarnings("unchecked")
    private static void collectClosed(List<String> path, Map<String, Object> node, Map<List<String>, Map<String, Object>> closed) {
        if (node.get("properties") instanceof Map<?, ?> properties) {
            if (Boolean.FALSE.equals(node.get("additionalProperties")) || node.containsKey("propertyNames")) {
                closed.put(List.copyOf(path), node);
            }
            properties.forEach((key, child) -> {
                path.add((String) key);
                collectClosed(path, (Map<String, Object>) child, closed);
                path.removeLast();
            });
        }
        if (node.get("items") instanceof Map<?, ?> items) {
            path.add("[]");
            collectClosed(path, (Map<String, Object>) items, closed);
            path.removeLast();
        }
    }

    private static Object nest(List<String> path, Object leaf) {
        Object value = leaf;
        for (String key : path.reversed()) {
            value = "[]".equals(key) ? List.of(value) : Map.of(key, value);
        }
        return value;
    }
}
