package kubenurse.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.Test;

/** Every metric the Grafana dashboard queries is one the real runtime image exports. */
class DashboardIT {

    private static final Pattern METRIC = Pattern.compile("\\b((?:kubenurse|process)_[a-z_]+)");

    @Test
    void dashboardQueriesOnlyMetricsTheImageExports() throws Exception {
        JsonObject dashboard = Json.parse(Files.readString(Manifests.ROOT.resolve("deploy/grafana/kubenurse.json"))).asObject();
        Set<String> queried = new TreeSet<>();
        for (JsonValue panel : dashboard.get("panels").asArray()) {
            for (JsonValue target : panel.asObject().get("targets").asArray()) {
                Matcher m = METRIC.matcher(target.asObject().getString("expr", ""));
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertTrue(queried.size() >= 8, queried.toString());

        String exported = scrapeRunningImage();
        Set<String> missing = new TreeSet<>();
        for (String name : queried) {
            if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find()) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, "queried by the dashboard but not exported");
    }

    /** Starts the image in local mode with checks that succeed and fail, so every series exists. */
    private static String scrapeRunningImage() throws Exception {
        Path image = Manifests.ROOT.resolve("jlink/target/image");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestHttpServer service = TestHttpServer.http(); HttpClient client = HttpClient.newHttpClient()) {
            ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/kubenurse").toString());
            builder.environment().clear();
            builder.environment().put("KUBENURSE_HTTP_PORT", String.valueOf(port));
            builder.environment().put("KUBENURSE_SERVICE_URL", "http://localhost:" + service.port());
            builder.environment().put("KUBENURSE_EXTRA_CHECKS", "closed:http://127.0.0.1:1/");
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            try {
                URI alwaysHappy = URI.create("http://127.0.0.1:" + port + "/alwayshappy");
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (true) {
                    try {
                        client.send(HttpRequest.newBuilder(alwaysHappy).header("KUBENURSE-NEIGHBOUR-ORIGIN", "pod-x").build(),
                                HttpResponse.BodyHandlers.discarding());
                        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alive")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        break;
                    } catch (java.io.IOException notYet) {
                        if (System.nanoTime() > deadline) {
                            throw notYet;
                        }
                        Thread.sleep(50);
                    }
                }
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
