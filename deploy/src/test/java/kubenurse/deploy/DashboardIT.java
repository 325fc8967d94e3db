package kubenurse.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard's queries: valid PromQL, and on metrics the real runtime image exports. */
class DashboardIT {

    private static final Pattern METRIC = Pattern.compile("\\b((?:kubenurse|process)_[a-z_]+)");

    /** Grafana's own variables, replaced by a value of their kind so that promtool can parse the query. */
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$(__rate_interval|__interval|__range|type)\\b");

    @Test
    void dashboardQueriesOnlyMetricsTheImageExports(@TempDir Path dir) throws Exception {
        Set<String> queried = new TreeSet<>();
        for (String expr : queries()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertTrue(queried.size() >= 8, queried.toString());

        String exported = scrapeRunningImage(dir);
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
            if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find()) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "queried by the dashboard but not exported");
    }

    /**
     * Every query parses as PromQL: promtool checks them as recording rules. Grafana loads a dashboard whatever its
     * queries say, and a query Prometheus rejects only shows as an error on its panel.
     */
    @Test
    void everyQueryIsPromQl(@TempDir Path dir) throws Exception {
        assumeTrue(kubenurse.testing.Promtool.installed(), "promtool not installed (Debian package prometheus): queries not parsed");
        List<String> queries = queries();
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            String expr = GRAFANA_VARIABLE.matcher(queries.get(i)).replaceAll(m -> m.group(1).equals("type") ? ".*" : "5m");
            rules.append("  - record: dashboard:query_").append(i).append("\n    expr: ")
                    .append(Json.value(expr)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("dashboard.rules.yaml"), rules);
        Manifests.Result result = Manifests.run("promtool", "check", "rules", file.toString());
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("SUCCESS: " + queries.size() + " rules found"), result.out());
    }

    /** The expr of every target of every panel, those inside a collapsed row's panels included. */
    private static List<String> queries() throws Exception {
        JsonObject dashboard = Json.parse(Files.readString(Manifests.ROOT.resolve("deploy/grafana/kubenurse.json"))).asObject();
        List<String> queries = new ArrayList<>();
        addQueries(dashboard.get("panels").asArray(), queries);
        return queries;
    }

    private static void addQueries(JsonArray panels, List<String> queries) {
        for (JsonValue panel : panels) {
            // a row has no targets of its own; collapsed, it holds its panels
            JsonValue targets = panel.asObject().get("targets");
            if (targets != null) {
                for (JsonValue target : targets.asArray()) {
                    queries.add(target.asObject().getString("expr", ""));
                }
            }
            JsonValue nested = panel.asObject().get("panels");
            if (nested != null) {
                addQueries(nested.asArray(), queries);
            }
        }
    }

    /**
     * Starts the image against a stub API server with one neighbour whose pod IP is on loopback, where the image
     * itself answers its path checks and UDP probes, and with checks that succeed and fail, so every series exists.
     */
    private static String scrapeRunningImage(Path dir) throws Exception {
        Path image = Manifests.ROOT.resolve("jlink/target/image");
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:127.0.0.1,DNS:localhost");
        Path serviceAccount = Files.createDirectories(dir.resolve("sa"));
        Files.copy(ca.cert(), serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "token");
        try (StubApiServer api = StubApiServer.start(TestCertificates.serverContext(cert));
                TestHttpServer service = TestHttpServer.http(); HttpClient client = HttpClient.newHttpClient()) {
            // the image's ports are picked once the test's own servers listen: a port just released could
            // otherwise be handed to one of them, and the test would scrape it instead of the image
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            int udpPort;
            try (DatagramSocket socket = new DatagramSocket(0)) {
                udpPort = socket.getLocalPort();
            }
            Map<String, String> labels = Map.of("app.kubernetes.io/name", "kubenurse");
            api.putNode("node-a", false, false);
            api.putNode("node-b", false, false);
            api.putPod("kube-system", "pod-a", "node-a", "127.0.0.1", "Running", labels, false);
            api.putPod("kube-system", "pod-b", "node-b", "127.0.0.2", "Running", labels, false);
            ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/kubenurse").toString());
            builder.environment().clear();
            builder.environment().putAll(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()),
                    "KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString(),
                    "KUBENURSE_NAMESPACE", "kube-system",
                    "KUBENURSE_POD_NAME", "pod-a",
                    "KUBENURSE_NODE_NAME", "node-a",
                    "KUBENURSE_CHECK_INTERVAL", "1s",
                    "KUBENURSE_HTTP_PORT", String.valueOf(port),
                    "KUBENURSE_UDP_PORT", String.valueOf(udpPort),
                    "KUBENURSE_SERVICE_URL", "http://localhost:" + service.port()));
            builder.environment().put("KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse");
            builder.environment().put("KUBENURSE_EXTRA_CHECKS", "closed:http://127.0.0.1:1/");
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            try {
                URI alwaysHappy = URI.create("http://127.0.0.1:" + port + "/alwayshappy");
                URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    assertTrue(process.isAlive(), "the image exited with " + (process.isAlive() ? "" : process.exitValue()));
                    try {
                        client.send(HttpRequest.newBuilder(alwaysHappy).header("KUBENURSE-NEIGHBOUR-ORIGIN", "pod-x").build(),
                                HttpResponse.BodyHandlers.discarding());
                        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alive")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        String body = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                        // the UDP series appear once a probe cycle to the neighbour has completed
                        if (body.contains("kubenurse_udp_jitter_seconds{") || System.nanoTime() > deadline) {
                            return body;
                        }
                    } catch (java.io.IOException notYet) {
                        if (System.nanoTime() > deadline) {
                            throw notYet;
                        }
                    }
                    Thread.sleep(100);
                }
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
