package kubenurse.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.config.Config;
import kubenurse.testing.Promtool;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestCluster;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/** The checks engine through its public API, configured from environment variables, against real servers. */
class CheckerTest {

    @TempDir
    Path dir;

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Outside a cluster: the service check, an extra check answering 404 and one to a closed port. */
    private static Config localMode(TestHttpServer service, TestHttpServer missing) throws Exception {
        return Config.fromEnvironment(Map.of(
                "KUBENURSE_SERVICE_URL", "http://127.0.0.1:" + service.port(),
                "KUBENURSE_EXTRA_CHECKS", "missing:" + missing.uri("/x") + "|closed:http://127.0.0.1:" + closedPort() + "/"),
                "pod-a");
    }

    @Test
    void localModeWithServiceAndExtraChecks() throws Exception {
        try (TestHttpServer service = TestHttpServer.http(); TestHttpServer missing = TestHttpServer.http().status(404)) {
            Config config = localMode(service, missing);
            PrometheusRegistry registry = new PrometheusRegistry();
            try (Checker checker = checker(config, registry, Neighbours::none)) {
                CheckResults results = checker.fresh();
                assertEquals(Map.of("api_server_direct", "skipped", "api_server_dns", "skipped", "me_ingress", "skipped",
                        "me_service", "ok", "missing", "404 Not Found", "closed", "connection refused"), results.byType());
                assertFalse(results.healthy());
                assertEquals("/alwayshappy", service.requests().getFirst().get(":path"));

                String metrics = scrape(registry);
                assertTrue(metrics.contains("kubenurse_httpclient_requests_total{code=\"200\",type=\"me_service\"} 1.0"), metrics);
                assertTrue(metrics.contains("kubenurse_httpclient_requests_total{code=\"404\",type=\"missing\"} 1.0"), metrics);
                assertTrue(metrics.contains("kubenurse_httpclient_requests_total{code=\"round_trip_error\",type=\"closed\"} 1.0"), metrics);
                assertTrue(metrics.contains("kubenurse_errors_total{event=\"status_code_404\",type=\"missing\"} 1.0"), metrics);
                assertTrue(metrics.contains("kubenurse_errors_total{event=\"connect_done\",type=\"closed\"} 1.0"), metrics);
                assertFalse(metrics.contains("kubenurse_errors_total{event=\"status_code_200\""), metrics);
                assertTrue(metrics.contains("kubenurse_httpclient_request_duration_seconds_bucket{type=\"me_service\",le=\"0.005\"}"), metrics);
                assertTrue(metrics.contains("kubenurse_httpclient_request_duration_seconds_count{type=\"missing\"} 1"), metrics);
                assertEquals(List.of(), checker.victoriaMetricsHistograms(), "VictoriaMetrics histograms are off by default");
                assertFalse(metrics.contains("kubenurse_httpclient_request_duration_seconds_count{type=\"closed\"}"),
                        "no response, no response time: " + metrics);
                assertTrue(metrics.contains("kubenurse_httpclient_trace_request_duration_seconds_count{event=\"got_first_resp_byte\",type=\"me_service\"} 1"), metrics);
                assertTrue(metrics.contains("kubenurse_request_duration_count{type=\"closed\"} 1"), metrics);
                assertFalse(metrics.contains("type=\"me_ingress\""), "skipped checks record nothing: " + metrics);
            }
        }
    }

    /** Skipped, and reported so, where promtool is not installed; the assertions above do not depend on it. */
    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        assumeTrue(Promtool.installed(), "promtool not installed: exposition format check skipped");
        try (TestHttpServer service = TestHttpServer.http(); TestHttpServer missing = TestHttpServer.http().status(404)) {
            Config config = localMode(service, missing);
            PrometheusRegistry registry = new PrometheusRegistry();
            try (Checker checker = checker(config, registry, Neighbours::none)) {
                checker.fresh();
                Promtool.Verdict verdict = Promtool.checkMetrics(scrape(registry));
                assertEquals(0, verdict.exitCode(), verdict.output());
            }
        }
    }

    /** As upstream: the same names, with vmrange buckets instead of le, counted apart from the registry. */
    @Test
    void victoriaMetricsHistogramsReplaceTheClassicDurationHistogramsWhenAsked() throws Exception {
        try (TestHttpServer service = TestHttpServer.http()) {
            Config config = Config.fromEnvironment(Map.of("KUBENURSE_SERVICE_URL", "http://127.0.0.1:" + service.port(),
                    "KUBENURSE_VICTORIAMETRICS_HISTOGRAM", "true"), "pod-a");
            PrometheusRegistry registry = new PrometheusRegistry();
            try (Checker checker = checker(config, registry, Neighbours::none)) {
                assertEquals("ok", checker.fresh().outcome("me_service").orElseThrow());
                String classic = scrape(registry);
                List<VmHistogramCounts> vm = checker.victoriaMetricsHistograms();
                assertFalse(classic.contains("kubenurse_httpclient_request_duration_seconds"), classic);
                assertFalse(classic.contains("kubenurse_httpclient_trace_request_duration_seconds"), classic);
                assertTrue(classic.contains("kubenurse_httpclient_requests_total{code=\"200\",type=\"me_service\"} 1.0"));
                assertEquals(List.of("kubenurse_httpclient_request_duration_seconds",
                        "kubenurse_httpclient_trace_request_duration_seconds"),
                        vm.stream().map(VmHistogramCounts::name).toList());
                VmHistogramCounts.Series serviceSeries = vm.getFirst().series().getFirst();
                assertEquals(List.of("me_service"), serviceSeries.labelValues());
                assertEquals(1, serviceSeries.count());
                assertTrue(serviceSeries.buckets().getFirst().vmrange().matches("\\d\\.\\d{3}e-0\\d\\.\\.\\.\\d\\.\\d{3}e-0\\d"),
                        serviceSeries.toString());
                assertEquals(List.of("type", "event"), vm.get(1).labelNames());
                assertTrue(vm.get(1).series().stream().anyMatch(s -> s.labelValues().equals(List.of("me_service",
                        "got_first_resp_byte"))), vm.get(1).toString());
            }
        }
    }

    /** A cluster CA and the API server's certificate, for 127.0.0.1 and kubenurse-api.test. */
    private TestCluster.Certificates apiCertificates() throws Exception {
        return TestCluster.Certificates.make(dir, "127.0.0.1", "kubenurse-api.test");
    }

    /** The serviceaccount directory: the CA of {@code certificates} and {@code token}. */
    private Path serviceAccount(TestCluster.Certificates certificates, String token) throws Exception {
        return TestCluster.serviceAccount(dir.resolve("serviceaccount"), certificates.ca().cert(), token, null);
    }

    @Test
    void tokenGoesToTheApiServerChecksOnlyAndIsReReadWhenRotated() throws Exception {
        TestCluster.Certificates api = apiCertificates();
        Path serviceAccount = serviceAccount(api, "first-token\n");
        try (TestHttpServer apiServer = TestHttpServer.https(api.serverContext())) {
            Config config = Config.fromEnvironment(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.port()),
                    "KUBENURSE_KUBERNETES_SERVICE_DNS", "kubenurse-api.test",
                    "KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString(),
                    "KUBENURSE_EXTRA_CHECKS", "lookalike:https://127.0.0.1:" + apiServer.port() + "/version",
                    "KUBENURSE_CHECK_NEIGHBOURHOOD", "false"), "pod-a");
            try (Checker checker = checker(config, new PrometheusRegistry(), Neighbours::none)) {
                CheckResults results = checker.fresh();
                assertEquals("ok", results.outcome("api_server_direct").orElseThrow(), results.toString());
                assertEquals("ok", results.outcome("api_server_dns").orElseThrow(), results.toString());
                assertEquals("ok", results.outcome("lookalike").orElseThrow(), results.toString());
                List<Map<String, String>> requests = apiServer.requests();
                assertEquals(3, requests.size());
                assertTrue(requests.stream().allMatch(r -> r.get(":path").equals("/version")));
                assertEquals(2, requests.stream().filter(r -> "Bearer first-token".equals(r.get("authorization"))).count());
                assertEquals(1, requests.stream().filter(r -> r.get("authorization") == null).count(),
                        "the extra check whose URL ends in /version gets no token");
                assertTrue(requests.stream().anyMatch(r -> r.get("host").startsWith("kubenurse-api.test:")));

                Files.writeString(serviceAccount.resolve("token"), "rotated-token\n");
                Thread.sleep(3100);
                checker.fresh();
                // this server keeps connections open when asked to close: a run that found the earlier run's
                // connection is made again on a fresh one, so a check may have sent two requests
                List<Map<String, String>> afterRotation = apiServer.requests().subList(3, apiServer.requests().size());
                assertTrue(afterRotation.stream().map(r -> r.get("authorization")).filter(java.util.Objects::nonNull)
                        .allMatch("Bearer rotated-token"::equals), afterRotation.toString());
                assertTrue(afterRotation.stream().filter(r -> "Bearer rotated-token".equals(r.get("authorization")))
                        .count() >= 2, afterRotation.toString());
            }
        }
    }

    @Test
    void withATokenConfiguredOnlyTheApiServerChecksReceiveIt() throws Exception {
        TestCluster.Certificates api = apiCertificates();
        Path serviceAccount = serviceAccount(api, "the-token\n");
        try (TestHttpServer apiServer = TestHttpServer.https(api.serverContext());
                TestHttpServer ingress = TestHttpServer.http(); TestHttpServer service = TestHttpServer.http();
                TestHttpServer extra = TestHttpServer.http(); TestHttpServer neighbour = TestHttpServer.http()) {
            Config config = Config.fromEnvironment(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(apiServer.port()),
                    "KUBENURSE_KUBERNETES_SERVICE_DNS", "kubenurse-api.test",
                    "KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString(),
                    "KUBENURSE_INGRESS_URL", "http://127.0.0.1:" + ingress.port(),
                    "KUBENURSE_SERVICE_URL", "http://127.0.0.1:" + service.port(),
                    "KUBENURSE_EXTRA_CHECKS", "extra:http://127.0.0.1:" + extra.port() + "/version",
                    "KUBENURSE_HTTP_PORT", String.valueOf(neighbour.port())), "pod-a");
            List<Neighbour> neighbours = List.of(new Neighbour("pod-b", "127.0.0.1", "192.168.0.2", "node-b", "Running"));
            try (Checker checker = checker(config, new PrometheusRegistry(), () -> new Neighbours(neighbours, true))) {
                CheckResults results = checker.fresh();
                for (String type : List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service", "extra", "path_node-b")) {
                    assertEquals("ok", results.outcome(type).orElseThrow(), type + ": " + results);
                }
                assertTrue(apiServer.requests().stream().allMatch(r -> "Bearer the-token".equals(r.get("authorization"))),
                        "the API server checks carry the token: " + apiServer.requests());
                for (TestHttpServer other : List.of(ingress, service, extra, neighbour)) {
                    assertFalse(other.requests().isEmpty());
                    assertTrue(other.requests().stream().noneMatch(r -> r.containsKey("authorization")),
                            "no token outside the API server: " + other.requests());
                }
            }
        }
    }

    @Test
    void insecureNeverSendsTheTokenOverUnverifiedTls() throws Exception {
        TestCertificates.Pair impostor = TestCertificates.selfSignedRsa(dir, "impostor");
        TestCluster.Certificates genuine = apiCertificates();
        Path serviceAccount = serviceAccount(genuine, "secret-token\n");

        try (TestHttpServer fake = TestHttpServer.https(TestCertificates.serverContext(impostor));
                Checker checker = checker(insecureApiServerAt(fake, serviceAccount), new PrometheusRegistry(),
                        Neighbours::none)) {
            CheckResults results = checker.fresh();
            assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)",
                    results.outcome("api_server_direct").orElseThrow(), results.toString());
            assertEquals("certificate of kubenurse-api.test not trusted (no path to a trusted CA)",
                    results.outcome("api_server_dns").orElseThrow(), results.toString());
            assertEquals("ok", results.outcome("extra").orElseThrow(), "INSECURE still applies to the other checks");
            assertEquals(1, fake.requests().size(), "only the extra check got through: " + fake.requests());
            assertTrue(fake.requests().stream().noneMatch(r -> r.containsKey("authorization")), fake.requests().toString());
        }

        try (TestHttpServer apiServer = TestHttpServer.https(genuine.serverContext());
                Checker checker = checker(insecureApiServerAt(apiServer, serviceAccount), new PrometheusRegistry(),
                        Neighbours::none)) {
            CheckResults results = checker.fresh();
            assertEquals("ok", results.outcome("api_server_direct").orElseThrow(), results.toString());
            assertEquals("ok", results.outcome("api_server_dns").orElseThrow(), results.toString());
            assertEquals(2, apiServer.requests().stream()
                    .filter(r -> "Bearer secret-token".equals(r.get("authorization"))).count(), apiServer.requests().toString());
        }
    }

    /** KUBENURSE_INSECURE=true, as the Helm chart sets it, with both API server checks and one extra check at {@code server}. */
    private static Config insecureApiServerAt(TestHttpServer server, Path serviceAccount) {
        return Config.fromEnvironment(Map.of(
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(server.port()),
                "KUBENURSE_KUBERNETES_SERVICE_DNS", "kubenurse-api.test",
                "KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString(),
                "KUBENURSE_INSECURE", "true",
                "KUBENURSE_EXTRA_CHECKS", "extra:" + server.uri("/alwayshappy"),
                "KUBENURSE_CHECK_NEIGHBOURHOOD", "false"), "pod-a");
    }

    @Test
    void pathChecksCarryTheOriginAndTheirSeriesGoWithTheNeighbour() throws Exception {
        try (TestHttpServer neighbourB = TestHttpServer.http()) {
            Config config = Config.fromEnvironment(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", String.valueOf(closedPort()),
                    "KUBENURSE_CHECK_API_SERVER_DIRECT", "false",
                    "KUBENURSE_CHECK_API_SERVER_DNS", "false",
                    "KUBENURSE_HTTP_PORT", String.valueOf(neighbourB.port())), "pod-a");
            AtomicReference<List<Neighbour>> neighbours = new AtomicReference<>(List.of(
                    new Neighbour("pod-b", "127.0.0.1", "192.168.0.2", "node-b", "Running")));
            PrometheusRegistry registry = new PrometheusRegistry();
            try (Checker checker = checker(config, registry, () -> new Neighbours(neighbours.get(), true))) {
                CheckResults results = checker.fresh();
                assertEquals("ok", results.outcome("path_node-b").orElseThrow());
                assertEquals("ok", results.neighbourhoodState());
                assertEquals("pod-a", neighbourB.requests().getFirst().get("kubenurse-neighbour-origin"));
                assertNull(neighbourB.requests().getFirst().get("authorization"));
                assertTrue(scrape(registry).contains("type=\"path_node-b\""));

                neighbours.set(List.of());
                Thread.sleep(3100);
                results = checker.fresh();
                assertTrue(results.outcome("path_node-b").isEmpty());
                assertFalse(scrape(registry).contains("path_node-b"), "series of a gone neighbour are removed");
            }
        }
    }

    @Test
    void aBlackholedNeighbourDelaysNeitherTheOthersNorAlive() throws Exception {
        int port = closedPort();
        try (TestHttpServer fast = TestHttpServer.http(java.net.InetAddress.getByName("127.0.0.1"), port);
                TestHttpServer hung = TestHttpServer.http(java.net.InetAddress.getByName("127.0.0.2"), port).hang()) {
            Config config = Config.fromEnvironment(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBENURSE_CHECK_API_SERVER_DIRECT", "false",
                    "KUBENURSE_CHECK_API_SERVER_DNS", "false",
                    "KUBENURSE_CHECK_INTERVAL", "500ms",
                    "KUBENURSE_HTTP_PORT", String.valueOf(port)), "pod-a");
            List<Neighbour> neighbours = List.of(
                    new Neighbour("pod-fast", "127.0.0.1", "192.168.0.1", "node-fast", "Running"),
                    new Neighbour("pod-hung", "127.0.0.2", "192.168.0.2", "node-hung", "Running"));
            try (Checker checker = checker(config, new PrometheusRegistry(), () -> new Neighbours(neighbours, true))) {
                checker.start();
                Thread.sleep(2600);
                assertTrue(fast.requests().size() >= 5, "the fast neighbour was checked every 500 ms while the other hung: "
                        + fast.requests().size() + " checks");
                assertEquals(1, hung.requests().size(), "the hung check is not started again while it runs");
                long start = System.nanoTime();
                CheckResults results = checker.fresh();
                long aliveMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(aliveMillis < 2500, "/alive took " + aliveMillis + " ms");
                assertEquals("ok", results.outcome("path_node-fast").orElseThrow());
                Thread.sleep(4500);
                assertEquals("timeout after 6s", checker.latest().outcome("path_node-hung").orElseThrow());
                assertEquals("timeout after 6s", checker.latest().neighbourhoodState());
            }
        }
    }

    @Test
    void bothPodsOfASurgeRolloutAreCheckedAndEitherFailingShows() throws Exception {
        int port = closedPort();
        try (TestHttpServer oldPod = TestHttpServer.http(java.net.InetAddress.getByName("127.0.0.1"), port);
                TestHttpServer newPod = TestHttpServer.http(java.net.InetAddress.getByName("127.0.0.2"), port)) {
            Config config = Config.fromEnvironment(Map.of(
                    "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBENURSE_CHECK_API_SERVER_DIRECT", "false",
                    "KUBENURSE_CHECK_API_SERVER_DNS", "false",
                    "KUBENURSE_HTTP_PORT", String.valueOf(port)), "pod-a");
            List<Neighbour> surge = List.of(
                    new Neighbour("pod-b-old", "127.0.0.1", "192.168.0.2", "node-b", "Running"),
                    new Neighbour("pod-b-new", "127.0.0.2", "192.168.0.2", "node-b", "Running"));
            try (Checker checker = checker(config, new PrometheusRegistry(), () -> new Neighbours(surge, true))) {
                assertEquals("ok", checker.fresh().outcome("path_node-b").orElseThrow());
                assertEquals(1, oldPod.requests().size());
                assertEquals(1, newPod.requests().size(), "the second pod on the node is checked too");
                newPod.status(500);
                Thread.sleep(3100);
                assertEquals("500 Internal Server Error", checker.fresh().outcome("path_node-b").orElseThrow());
            }
        }
    }

    /** A checker that hears nobody and tells Kubernetes nothing: these tests are about the checks, not the verdicts. */
    private static Checker checker(Config config, io.prometheus.metrics.model.registry.PrometheusRegistry registry,
            java.util.function.Supplier<Neighbours> neighbours) {
        return Checker.create(config, registry, neighbours, window -> java.util.Set.of(), kubenurse.discovery.NodeReports.none());
    }
}
