package kubenurse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.UdpPathResult;
import kubenurse.checks.VmHistogramCounts;
import kubenurse.discovery.Neighbour;
import kubenurse.config.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real server on an ephemeral port, called over real sockets. */
class StatusServerTest {

    private final AtomicReference<CheckResults> results = new AtomicReference<>(healthy());
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final AtomicReference<String> discoveryState = new AtomicReference<>("ok");
    private final AtomicReference<List<VmHistogramCounts>> victoriaMetrics = new AtomicReference<>(List.of());
    /** pod-b is checked; pod-c is eligible but not chosen (as with a neighbour limit). */
    private static final List<Neighbour> ELIGIBLE = List.of(
            new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running"),
            new Neighbour("pod-c", "10.0.0.3", "192.168.0.3", "node-c", "Running"));
    private final AtomicReference<Map<String, UdpPathResult>> udp = new AtomicReference<>(Map.of());
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private IncomingChecks incoming;
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        incoming = IncomingChecks.register(registry);
        server = StatusServer.start(plainHttp(0),
                new Endpoints("pod-a", results::get, registry, ready::get, incoming, discoveryState::get,
                        victoriaMetrics::get, false, udp::get));
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    static ServerSettings plainHttp(int port) {
        return new ServerSettings(port, 0, false, Optional.empty(), Optional.empty(), Duration.ZERO);
    }

    private static CheckResults healthy() {
        return new CheckResults(List.of(
                CheckResult.ok("api_server_direct"), CheckResult.ok("api_server_dns"),
                CheckResult.skipped("me_ingress"), CheckResult.ok("me_service"),
                CheckResult.ok("path_node-b"), CheckResult.ok("extra1")),
                List.of(new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running")), ELIGIBLE);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyResponseForbidsContentSniffing() throws Exception {
        for (String path : List.of("/", "/alive", "/alwayshappy", "/ready", "/metrics", "/nope")) {
            assertEquals(Optional.of("nosniff"), get(path).headers().firstValue("X-Content-Type-Options"), path);
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/alive"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.of("nosniff"), post.headers().firstValue("X-Content-Type-Options"));
    }

    @Test
    void aliveRedactsCredentialsInItsHeaderEcho() throws Exception {
        // a raw request: java.net.http would not send Proxy-Authorization to a server that is not a proxy
        String body;
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /alive HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Authorization: Bearer secret-token\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
                    + "Cookie: session=secret\r\nSet-Cookie: a=secret\r\nX-Custom: visible\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            body = response.substring(response.indexOf("\r\n\r\n") + 4);
        }
        assertFalse(body.contains("secret"), body);
        JsonObject headers = Json.parse(body).asObject().get("headers").asObject();
        for (String name : List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie")) {
            assertEquals("<redacted>", headers.get(name).asArray().get(0).asString(), name);
        }
        assertEquals("visible", headers.get("X-Custom").asArray().get(0).asString());
    }

    @Test
    void rootRedirectsToAlive() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(301, response.statusCode());
        assertEquals(Optional.of("/alive"), response.headers().firstValue("Location"));
    }

    @Test
    void aliveRendersSeedAndNestedFields() throws Exception {
        HttpResponse<String> response = get("/alive?x=1", "X-Custom-header", "v1");
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
        JsonObject json = Json.parse(response.body()).asObject();
        assertEquals("pod-a", json.getString("hostname", null));
        assertEquals("ok", json.getString("api_server_direct", null));
        assertEquals("skipped", json.getString("me_ingress", null));
        assertEquals("ok", json.getString("neighbourhood_state", null));
        JsonObject neighbour = json.get("neighbourhood").asArray().get(0).asObject();
        assertEquals("pod-b", neighbour.getString("PodName", null));
        assertEquals("10.0.0.2", neighbour.getString("PodIP", null));
        assertEquals("192.168.0.2", neighbour.getString("HostIP", null));
        assertEquals("node-b", neighbour.getString("NodeName", null));
        assertEquals("Running", neighbour.getString("Phase", null));
        assertTrue(neighbour.getBoolean("Checked", false));
        // SHA-256("node-b") begins 93ef37c615713822: above 2^63, printed as Go prints a uint64
        assertEquals("10659800166912047138", neighbour.get("NodeHash").toString());
        assertEquals("v1", json.get("headers").asObject().get("X-Custom-Header").asArray().get(0).asString());
        assertEquals("/alive?x=1", json.getString("request_uri", null));
        assertEquals("ok", json.getString("discovery_state", null));
        assertTrue(json.getString("remote_addr", "").startsWith("127.0.0.1:"));
        assertTrue(json.getString("user_agent", "").startsWith("Java-http-client"));
        JsonObject last = json.get("last_check_result").asObject();
        assertEquals(List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service", "path_node-b", "extra1",
                "neighbourhood_state", "neighbourhood"), last.names());
        assertEquals("ok", last.getString("neighbourhood_state", null));
        JsonObject nested = last.get("neighbourhood").asArray().get(0).asObject();
        assertEquals(List.of("PodName", "PodIP", "HostIP", "NodeName", "NodeHash", "Phase", "Checked"), nested.names());
        assertEquals("10659800166912047138", nested.get("NodeHash").toString());
        JsonObject notChosen = last.get("neighbourhood").asArray().get(1).asObject();
        assertEquals("pod-c", notChosen.getString("PodName", null), "upstream lists every eligible neighbour");
        assertFalse(notChosen.getBoolean("Checked", true), "not chosen by the hash ring");
        assertEquals(last.get("neighbourhood"), json.get("neighbourhood"));
        assertTrue(response.body().contains("\"NodeHash\": 10659800166912047138,"), response.body());
    }

    @Test
    void aliveShowsTheUdpProbesLastCycleApartFromTheChecks() throws Exception {
        assertEquals(new JsonObject(), Json.parse(get("/alive").body()).asObject().get("udp"), "probe off or nobody probed");
        udp.set(Map.of("path_node-b", new UdpPathResult(20, 1, OptionalDouble.of(.000213), OptionalDouble.of(.000012), true)));
        JsonObject json = Json.parse(get("/alive").body()).asObject();
        assertEquals(Json.parse("{\"path_node-b\": {\"sent\": 20, \"lost\": 1, \"rtt_p50_seconds\": 0.000213, "
                + "\"jitter_seconds\": 0.000012, \"state\": \"answering\"}}"), json.get("udp"));
        assertEquals(null, json.get("last_check_result").asObject().get("path_node-b_udp"));
    }

    @Test
    void aliveSaysWhatFailsInDiscovery() throws Exception {
        discoveryState.set("nodes: watch /api/v1/nodes: malformed event");
        HttpResponse<String> response = get("/alive");
        assertEquals(200, response.statusCode(), "checks decide the status, as in Go");
        JsonObject json = Json.parse(response.body()).asObject();
        assertEquals("nodes: watch /api/v1/nodes: malformed event", json.getString("discovery_state", null));
        JsonObject last = json.get("last_check_result").asObject();
        assertEquals("nodes: watch /api/v1/nodes: malformed event", last.getString("neighbourhood_state", null));
        assertEquals(null, last.get("neighbourhood"), "upstream lists no neighbourhood when listing fails");
        assertEquals(2, json.get("neighbourhood").asArray().size(), "ours: the last known neighbours stay shown");
    }

    @Test
    void aliveIs500WhenACheckFails() throws Exception {
        results.set(new CheckResults(List.of(CheckResult.ok("me_service"),
                new CheckResult("path_node-b", "connection refused")),
                List.of(new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running")), ELIGIBLE));
        HttpResponse<String> response = get("/alive");
        assertEquals(500, response.statusCode());
        JsonObject json = Json.parse(response.body()).asObject();
        assertEquals("connection refused", json.getString("neighbourhood_state", null));
        assertEquals("connection refused", json.get("last_check_result").asObject().getString("path_node-b", null));
    }

    @Test
    void alwaysHappyRecordsItsCaller() throws Exception {
        HttpResponse<String> response = get("/alwayshappy", "KUBENURSE-NEIGHBOUR-ORIGIN", "pod-c");
        get("/alwayshappy", "kubenurse-neighbour-origin", "pod-d");
        get("/alwayshappy", "KUBENURSE-NEIGHBOUR-ORIGIN", "pod-c");
        get("/alwayshappy");
        assertEquals(200, response.statusCode());
        assertEquals("", response.body());
        assertEquals(2, incoming.distinctOrigins());
        assertTrue(get("/metrics").body().contains("kubenurse_neighbourhood_incoming_checks 2.0"));
    }

    @Test
    void readyFollowsTheReadinessFlag() throws Exception {
        assertEquals(200, get("/ready").statusCode());
        ready.set(false);
        assertEquals(503, get("/ready").statusCode());
    }

    @Test
    void metricsInEveryFormatTheScraperAsksFor() throws Exception {
        HttpResponse<String> text = get("/metrics");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(text.body().contains("# TYPE kubenurse_neighbourhood_incoming_checks gauge"));

        HttpResponse<String> openMetrics = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertTrue(openMetrics.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(openMetrics.body().endsWith("# EOF\n"));

        HttpResponse<byte[]> protobuf = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertTrue(protobuf.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
        assertTrue(new String(protobuf.body(), StandardCharsets.ISO_8859_1).contains("kubenurse_neighbourhood_incoming_checks"));
    }

    /**
     * Bucket bounds in Prometheus text as Go's client_golang writes them (le="1", not "1.0"), so that series and
     * rules match upstream's on Prometheus 2.x and VictoriaMetrics; OpenMetrics keeps client_java's form.
     */
    @Test
    void bucketBoundsInTextAsGoWritesThemAndOpenMetricsUnchanged() throws Exception {
        Histogram.builder().name("d_seconds").help("Durations.").labelNames("type").classicUpperBounds(0.0005, 1)
                .register(registry).labelValues("me_service").observe(0.7);
        HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        String unzipped;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String text : List.of(get("/metrics").body(), get("/metrics", "Accept", "text/plain").body(), unzipped)) {
            assertTrue(text.contains("d_seconds_bucket{type=\"me_service\",le=\"0.0005\"} 0\n"), text);
            assertTrue(text.contains("d_seconds_bucket{type=\"me_service\",le=\"1\"} 1\n"), text);
            assertTrue(text.contains("d_seconds_bucket{type=\"me_service\",le=\"+Inf\"} 1\n"), text);
            assertTrue(text.contains("# TYPE kubenurse_neighbourhood_incoming_checks gauge\n"), text);
        }
        String openMetrics = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0").body();
        assertTrue(openMetrics.contains("d_seconds_bucket{type=\"me_service\",le=\"5.0E-4\"} 0\n"), openMetrics);
        assertTrue(openMetrics.contains("d_seconds_bucket{type=\"me_service\",le=\"1.0\"} 1\n"), openMetrics);
    }

    /** VictoriaMetrics histograms exist in text only: then every scraper gets text, as from upstream. */
    @Test
    void victoriaMetricsHistogramsFollowTheRegistrysInPrometheusTextWhateverWasAsked() throws Exception {
        String vm = """
                d_seconds_bucket{type="me_service",vmrange="1.000e+00...1.136e+00"} 1
                d_seconds_sum{type="me_service"} 1.1
                d_seconds_count{type="me_service"} 1
                """;
        victoriaMetrics.set(List.of(new VmHistogramCounts("d_seconds", List.of("type"), List.of(
                new VmHistogramCounts.Series(List.of("me_service"),
                        List.of(new VmHistogramCounts.Bucket("1.000e+00...1.136e+00", 1)), 1.1)))));
        for (String accept : List.of("text/plain", "application/openmetrics-text; version=1.0.0",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")) {
            HttpResponse<String> response = get("/metrics", "Accept", accept);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    accept + ": " + response.headers().map());
            assertTrue(response.body().contains("# TYPE kubenurse_neighbourhood_incoming_checks gauge\n"), response.body());
            assertTrue(response.body().endsWith("\n" + vm), response.body());
        }
    }

    @Test
    void metricsGzippedWhenAccepted() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(Optional.of("gzip"), response.headers().firstValue("Content-Encoding"));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("kubenurse_neighbourhood_incoming_checks"));
        }
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/alive"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(Optional.of("GET, HEAD"), post.headers().firstValue("Allow"));
    }

    @Test
    void headAnswersWithoutBody() throws Exception {
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/alive"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void portInUseFailsWithThePortInTheMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            BindException e = assertThrows(BindException.class, () -> StatusServer.start(plainHttp(taken.getLocalPort()),
                    new Endpoints("x", results::get, registry, ready::get, incoming, discoveryState::get, List::of, false,
                            Map::of)));
            assertTrue(e.getMessage().startsWith("cannot listen on port " + taken.getLocalPort() + ": "), e.getMessage());
        }
    }
}
