package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kubenurse.image.fixture.RunningImage;
import kubenurse.testing.Eventually;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.Test;

/** The linked runtime image, started as the container starts it: a process with an empty environment. */
class ImageIT {

    @Test
    void containsOnlyJdkModulesAndOursWithRealDescriptors() throws Exception {
        List<String> modules = run(RunningImage.IMAGE.resolve("bin/java").toString(), "--list-modules").lines()
                .map(line -> line.substring(0, line.indexOf('@'))).toList();
        assertTrue(modules.contains("kubenurse.app") && modules.contains("java.base"), modules.toString());
        for (String module : modules) {
            String description = run(RunningImage.IMAGE.resolve("bin/java").toString(), "--describe-module", module);
            assertFalse(description.lines().findFirst().orElse("").contains("automatic"),
                    module + " is an automatic module: " + description);
        }
        assertFalse(modules.contains("java.management"), "java.management is not needed: " + modules);
        assertFalse(modules.contains("java.desktop"), "java.desktop is not needed: " + modules);
    }

    @Test
    void imageIsAtMost45MegabytesWithoutItsAotCache() throws IOException {
        Path cache = RunningImage.IMAGE.resolve("lib/kubenurse.aot");
        long bytes;
        try (Stream<Path> files = Files.walk(RunningImage.IMAGE)) {
            bytes = files.filter(Files::isRegularFile).filter(p -> !p.equals(cache)).mapToLong(p -> p.toFile().length()).sum();
        }
        long cacheBytes = Files.size(cache);
        System.out.printf("image size: %.1f MB, and its AOT cache %.1f MB%n", bytes / 1e6, cacheBytes / 1e6);
        assertTrue(bytes <= 45L * 1024 * 1024, "image is " + bytes + " bytes without its AOT cache");
        // a JDK 25 AOT cache of a small server is ~22 MB; much more would mean the training loaded far too much
        assertTrue(cacheBytes <= 40L * 1024 * 1024, "AOT cache is " + cacheBytes + " bytes");
    }

    @Test
    void launcherExecsTheJvmSoSignalsReachIt() throws Exception {
        try (RunningImage image = RunningImage.start(Map.of(), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            String command = image.process.info().command().orElse("");
            assertTrue(command.endsWith("/bin/java"), "the launched process is " + command + ", not the JVM");
        }
    }

    @Test
    void servesEveryEndpointInLocalModeWithAnEmptyEnvironment() throws Exception {
        try (RunningImage image = RunningImage.start(Map.of(), List.of())) {
            HttpResponse<String> alive = image.awaitAlive(Duration.ofSeconds(20));
            assertEquals(200, alive.statusCode(), alive.body());
            JsonObject json = Json.parse(alive.body()).asObject();
            for (String field : List.of("hostname", "api_server_direct", "api_server_dns", "me_ingress", "me_service",
                    "neighbourhood_state", "user_agent", "request_uri", "remote_addr")) {
                assertTrue(json.get(field).isString(), field + " in " + alive.body());
            }
            assertTrue(json.get("neighbourhood").isArray());
            assertTrue(json.get("headers").isObject());
            assertEquals("skipped", json.get("last_check_result").asObject().getString("api_server_direct", null));
            assertEquals(200, image.get("/alwayshappy").statusCode());
            assertEquals(200, image.get("/ready").statusCode());
            HttpResponse<String> metrics = image.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("process_resident_memory_bytes"), metrics.body());
            assertTrue(metrics.body().contains("process_open_fds"), metrics.body());
            assertTrue(image.output().contains("event=started local_mode=true"), image.output());
            HttpResponse<String> protobuf = image.get("/metrics",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertTrue(protobuf.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
            assertFalse(image.output().contains("sun.misc.Unsafe"), "warning in the log: " + image.output());
            assertTrue(image.output().lines().allMatch(line -> line.startsWith("time=")), image.output());
        }
    }

    @Test
    void metricsPassPromtool() throws Exception {
        assumeTrue(kubenurse.testing.Promtool.installed(),
                "promtool not installed (Debian package prometheus): metrics format check skipped");
        try (RunningImage image = RunningImage.start(Map.of(), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            String metrics = image.get("/metrics").body();
            kubenurse.testing.Promtool.Verdict verdict = kubenurse.testing.Promtool.checkMetrics(metrics);
            assertEquals(0, verdict.exitCode(), "promtool: " + verdict.output() + "\n" + metrics);
        }
    }

    /**
     * Upstream's VictoriaMetrics histograms, end to end: the checks count them, the server writes them in text
     * after the registry's, with the metadata lines KUBENURSE_EXPOSE_METADATA asks for, even to a protobuf scraper.
     */
    @Test
    void victoriaMetricsHistogramsWithTheirMetadataInTextWhateverTheScraperAsks() throws Exception {
        try (TestHttpServer target = TestHttpServer.http(); RunningImage image = RunningImage.start(Map.of(
                "KUBENURSE_VICTORIAMETRICS_HISTOGRAM", "true", "KUBENURSE_EXPOSE_METADATA", "true",
                "KUBENURSE_CHECK_INTERVAL", "1s", "KUBENURSE_EXTRA_CHECKS", "target:" + target.uri("/alwayshappy")),
                List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            String family = "kubenurse_httpclient_request_duration_seconds";
            String protobuf = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
            HttpResponse<String> metrics = Eventually.within(Duration.ofSeconds(10), "the target's duration counted",
                    () -> scrape(image, protobuf), m -> m.body().contains(family + "_count{type=\"target\"}"));
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    metrics.headers().map().toString());
            String body = metrics.body();
            assertTrue(body.contains("# HELP " + family + "\n# TYPE " + family + " untyped\n" + family
                    + "_bucket{type=\""), body);
            assertTrue(body.contains(family + "_bucket{type=\"target\",vmrange=\""), body);
            assertFalse(body.contains(family + "_bucket{type=\"target\",le="), body);
            assertTrue(body.contains("# TYPE kubenurse_httpclient_trace_request_duration_seconds untyped\n"), body);
            if (kubenurse.testing.Promtool.installed()) {
                kubenurse.testing.Promtool.Verdict verdict = kubenurse.testing.Promtool.checkMetrics(body);
                assertTrue(verdict.cleanBut(List.of(family, "kubenurse_httpclient_trace_request_duration_seconds")),
                        verdict + "\n" + body);
            }
        }
    }

    private static HttpResponse<String> scrape(RunningImage image, String accept) {
        try {
            return image.get("/metrics", accept);
        } catch (IOException | InterruptedException failed) {
            throw new AssertionError("GET /metrics: " + failed, failed);
        }
    }

    @Test
    void sigtermTurnsNotReadyKeepsServingThenExitsZero() throws Exception {
        try (RunningImage image = RunningImage.start(Map.of("KUBENURSE_SHUTDOWN_DURATION", "2s"), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            assertEquals(200, image.get("/ready").statusCode());
            long signalled = System.nanoTime();
            image.process.destroy(); // SIGTERM
            Thread.sleep(300);
            assertEquals(503, image.get("/ready").statusCode(), "not ready while draining");
            assertEquals(200, image.get("/alive").statusCode(), "still serving while draining");
            int status = image.awaitExit(Duration.ofSeconds(15));
            double seconds = (System.nanoTime() - signalled) / 1e9;
            assertEquals(0, status, image.output());
            assertTrue(seconds >= 2.0, "exited after " + seconds + " s, before SHUTDOWN_DURATION");
            assertTrue(image.output().contains("event=signal_received signal=SIGTERM"), image.output());
            assertTrue(image.output().contains("event=stopped"), image.output());
        }
    }

    @Test
    void everyBadValueIsOneLineAndExitStatus2() throws Exception {
        try (RunningImage image = RunningImage.start(Map.of(
                "KUBENURSE_CHECK_INTERVAL", "5x",
                "KUBENURSE_NEIGHBOUR_LIMIT", "-1",
                "KUBENURSE_EXTRA_CA", "/nonexistent.pem",
                "KUBENURSE_NEIGHBOUR_FILTER", "app in (a"), List.of())) {
            assertEquals(2, image.awaitExit(Duration.ofSeconds(20)));
            List<String> lines = image.output().lines().toList();
            assertEquals(4, lines.stream().filter(l -> l.startsWith("config error: ")).count(), image.output());
            assertTrue(lines.contains("config error: KUBENURSE_CHECK_INTERVAL=\"5x\": expected a positive duration such as "
                    + "300ms, 5s, 1m30s (units ns, us, ms, s, m, h)"), image.output());
            assertFalse(image.output().contains("Exception"), image.output());
            assertFalse(image.output().contains("\tat "), image.output());
        }
    }

    @Test
    void portInUseExitsNonZeroWithAClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            try (RunningImage image = RunningImage.start(
                    Map.of("KUBENURSE_HTTP_PORT", String.valueOf(taken.getLocalPort())), List.of())) {
                assertEquals(4, image.awaitExit(Duration.ofSeconds(20)));
                assertTrue(image.output().contains("cannot listen on port " + taken.getLocalPort()), image.output());
                assertFalse(image.output().contains("\tat "), image.output());
            }
        }
    }

    @Test
    void runsAsANonRootUser() throws Exception {
        boolean root = run("id", "-u").strip().equals("0");
        List<String> asNobody = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
        assumeTrue(!root || Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) not installed");
        try (RunningImage image = RunningImage.start(Map.of(), asNobody)) {
            assertEquals(200, image.awaitAlive(Duration.ofSeconds(20)).statusCode(), image.output());
            String uid = Files.readAllLines(Path.of("/proc/" + image.process.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertFalse(uid.split("\\s+")[1].equals("0"), uid);
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
