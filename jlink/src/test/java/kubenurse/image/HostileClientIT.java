package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kubenurse.image.fixture.ConnectionAttack;
import kubenurse.image.fixture.OriginFlood;
import kubenurse.image.fixture.ProcStatus;
import kubenurse.image.fixture.RawHttp;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.TlsProbe;
import kubenurse.testing.Eventually;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked image against a client that means harm: invented neighbour origins, thousands of held
 * connections, credentials to echo, a certificate swapped for one that does not fit, a heap too small.
 * After every attack the process must still be alive, answer /alwayshappy and never have printed an
 * uncaught exception. Each test prints its figures on lines starting "hostile:".
 */
class HostileClientIT {

    private static final Duration START = Duration.ofSeconds(20);
    private static final String ORIGIN = "KUBENURSE-NEIGHBOUR-ORIGIN";

    @TempDir
    Path dir;

    @Test
    void originFloodOfMalformedNamesRecordsNoneAndKeepsMemoryBounded() throws Exception {
        try (RunningImage image = started(Map.of())) {
            Map<Integer, Integer> statuses = OriginFlood.send(image, 3_000, 4, HostileClientIT::malformed12k);
            List<String> shortMalformed = List.of("Kubenurse-abc12", "kubenurse_abc12", "-kubenurse-abc12",
                    "kubenurse-abc12-", "kubenurse-abc12.", "kube nurse", "a".repeat(254));
            statuses.putAll(OriginFlood.send(image, shortMalformed.size(), 1, shortMalformed::get));
            List<String> valid = List.of("kubenurse-a1b2c", "kubenurse-d3e4f", "kubenurse-g5h6i.default");
            OriginFlood.send(image, valid.size(), 1, valid::get);
            double gauge = OriginFlood.gauge(image);
            System.out.printf("hostile: origin flood: 3000 requests with 12 KB malformed origins (statuses %s), then %d short "
                    + "malformed and %d valid: peak RSS %s (VmHWM), gauge %.0f%n",
                    statuses, shortMalformed.size(), valid.size(), ProcStatus.peakRss(image.process), gauge);
            assertSurvived(image);
            assertEquals(valid.size(), gauge, 0.0, "only the pod-name shaped origins are counted");
        }
    }

    @Test
    void originFloodOfValidNamesStopsAtTheCap() throws Exception {
        try (RunningImage image = started(Map.of())) {
            List<Double> readings = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                int from = batch * 3_000;
                OriginFlood.send(image, 3_000, 4, i -> "kn-" + (from + i));
                readings.add(OriginFlood.gauge(image));
            }
            System.out.printf("hostile: valid origin flood: 30000 unique pod names, gauge after each 3000: %s, "
                    + "peak RSS %s (VmHWM)%n", readings, ProcStatus.peakRss(image.process));
            assertSurvived(image);
            double last = readings.getLast();
            assertTrue(last > 0 && last < 30_000, "the gauge is bounded by a cap below 30000: " + readings);
            assertEquals(readings.get(readings.size() - 2), last, 0.0, "the gauge stopped growing: " + readings);
        }
    }

    @Test
    void wellBehavedClientIsServedWhileThousandsOfConnectionsAreHeld() throws Exception {
        long needed = 2 * 2_000 + 500;
        long limit = ProcStatus.openFileLimit(ProcessHandle.current().pid());
        assumeTrue(limit >= needed, "this JVM may open only " + limit + " files (ulimit -n), the attack needs " + needed);
        try (RunningImage image = started(Map.of())) {
            long imageLimit = ProcStatus.openFileLimit(image.process.pid());
            assumeTrue(imageLimit >= 2_500, "the image may open only " + imageLimit + " files");
            List<Double> millis = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            // the attack ends (its connections close) before the image is checked for having survived it
            try (ConnectionAttack attack = new ConnectionAttack(image.port)) {
                attack.hold(1_000, 1_000, Duration.ofSeconds(30));
                for (int i = 0; i < 20; i++) {
                    long begun = System.nanoTime();
                    try (RawHttp good = RawHttp.connect(image.port, Duration.ofSeconds(2))) {
                        int status = good.send("GET /alwayshappy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                .readStatus();
                        double took = (System.nanoTime() - begun) / 1e6;
                        millis.add(took);
                        if (status != 200 || took > 2_000) {
                            failures.add("request " + i + ": " + status + " after " + took + " ms");
                        }
                    } catch (IOException failed) {
                        failures.add("request " + i + ": " + failed + " after " + (System.nanoTime() - begun) / 1e6 + " ms");
                    }
                }
                double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("hostile: connections: %s; good client: %d of 20 answered, p50 %.1f ms, max %.1f ms; "
                        + "still held after: %d; image threads %s, open fds %d; peak RSS %s (VmHWM)%n",
                        attack.summary(), sorted.length, sorted.length > 0 ? sorted[sorted.length / 2] : Double.NaN,
                        sorted.length > 0 ? sorted[sorted.length - 1] : Double.NaN, attack.stillOpen(),
                        ProcStatus.field(image.process.pid(), "Threads"), ProcStatus.openFds(image.process.pid()), ProcStatus.peakRss(image.process));
            }
            assertSurvived(image);
            assertEquals(List.of(), failures, "every good request answered 200 within 2 s");
        }
    }

    @Test
    void aliveRedactsCredentialsAndEveryResponseForbidsSniffing() throws Exception {
        try (RunningImage image = started(Map.of()); HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            RawHttp.Response alive; // on a socket: java.net.http drops Proxy-Authorization on a request not via a proxy
            try (RawHttp raw = RawHttp.connect(image.port, Duration.ofSeconds(10))) {
                alive = raw.send("GET /alive HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer secret-token-1\r\n"
                        + "proxy-authorization: Basic c2VjcmV0LTI=\r\n" // header names are case-insensitive
                        + "Cookie: session=secret-3\r\n"
                        + "Set-Cookie: id=secret-4\r\n"
                        + "X-Custom: visible-5\r\n\r\n").readResponse();
            }
            JsonObject headers = Json.parse(alive.body()).asObject().get("headers").asObject();
            System.out.println("hostile: header echo: " + headers.toString());
            for (String name : List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie")) {
                assertEquals(List.of("<redacted>"), values(headers.get(name)), name + " in " + headers);
            }
            assertEquals(List.of("visible-5"), values(headers.get("X-Custom")), headers.toString());
            for (String secret : List.of("secret-token-1", "c2VjcmV0LTI=", "secret-3", "secret-4")) {
                assertFalse(alive.body().contains(secret), secret + " echoed: " + alive.body());
            }
            List<String> lacking = new ArrayList<>();
            List<String> checked = new ArrayList<>();
            for (String[] call : new String[][] {{"GET", "/"}, {"GET", "/alive"}, {"GET", "/alwayshappy"}, {"GET", "/ready"},
                    {"GET", "/metrics"}, {"GET", "/no-such-page"}, {"DELETE", "/alive"}, {"HEAD", "/alwayshappy"}}) {
                HttpResponse<String> response = client.send(request(image, call[1], call[0]).build(),
                        HttpResponse.BodyHandlers.ofString());
                String seen = call[0] + " " + call[1] + " -> " + response.statusCode();
                checked.add(seen);
                if (!response.headers().allValues("X-Content-Type-Options").equals(List.of("nosniff"))) {
                    lacking.add(seen + " X-Content-Type-Options=" + response.headers().allValues("X-Content-Type-Options"));
                }
            }
            System.out.println("hostile: nosniff checked on " + checked + "; lacking: " + lacking);
            assertTrue(checked.stream().anyMatch(c -> c.endsWith("404")) && checked.stream().anyMatch(c -> c.endsWith("405")),
                    checked.toString());
            assertEquals(List.of(), lacking, "responses without X-Content-Type-Options: nosniff");
            assertSurvived(image);
        }
    }

    @Test
    void certificateThatDoesNotFitTheKeyIsRefusedOnceAndTheOldOneKeepsServing() throws Exception {
        TestCertificates.Pair old = TestCertificates.selfSignedRsa(dir, "old");
        TestCertificates.Pair other = TestCertificates.selfSignedRsa(dir, "other");
        Path cert = Files.copy(old.cert(), dir.resolve("tls.crt"));
        Path key = Files.copy(old.key(), dir.resolve("tls.key"));
        int httpsPort = RunningImage.freePort();
        try (RunningImage image = started(Map.of("KUBENURSE_USE_TLS", "true", "KUBENURSE_HTTPS_PORT", String.valueOf(httpsPort),
                "KUBENURSE_CERT_FILE", cert.toString(), "KUBENURSE_CERT_KEY", key.toString()))) {
            byte[] oldCertificate = TlsProbe.read(old.cert()).getEncoded();
            TlsProbe.Seen before = awaitHttps(httpsPort);
            assertTrue(Arrays.equals(oldCertificate, before.certificate().getEncoded()), "serves the first pair");

            // replaced the way a secret volume is: a new file moved over the old name, with a new time
            FileTime previous = Files.getLastModifiedTime(cert);
            Path staged = Files.copy(other.cert(), dir.resolve("staged.crt"));
            Files.move(staged, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(cert, FileTime.fromMillis(previous.toMillis() + 10_000));
            long replaced = System.nanoTime();
            List<String> failures = new ArrayList<>();
            TlsProbe.Seen last = before;
            int handshakes = 0;
            double noticedAfter = Double.NaN;
            // probes until the failure is noticed, then 3 s more: a reload retried every second would log again
            for (long deadline = replaced + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; Thread.sleep(250)) {
                try {
                    last = TlsProbe.alwayshappy(httpsPort);
                    handshakes++;
                } catch (IOException failed) {
                    failures.add(failed.toString());
                }
                if (Double.isNaN(noticedAfter) && image.output().contains("event=certificate_reload_failed")) {
                    noticedAfter = (System.nanoTime() - replaced) / 1e9;
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                }
            }
            List<String> lines = image.output().lines().filter(l -> l.contains("event=certificate_reload")).toList();
            System.out.printf("hostile: mismatched certificate: noticed after %.1f s, %d handshakes ok, %d failed %s, "
                    + "old certificate still presented: %s, log: %s%n", noticedAfter, handshakes, failures.size(),
                    failures.stream().limit(1).toList(), Arrays.equals(oldCertificate, last.certificate().getEncoded()), lines);
            assertEquals(List.of(), failures, "every handshake after the swap succeeded");
            assertTrue(Arrays.equals(oldCertificate, last.certificate().getEncoded()), "the previous certificate is still served");
            assertEquals(200, last.status());
            assertEquals(1, lines.size(), "one line about the refused certificate: " + lines);
            assertTrue(lines.getFirst().contains(" level=error ") && lines.getFirst().contains("event=certificate_reload_failed"),
                    lines.getFirst());
            assertSurvived(image);
        }
    }

    @Test
    void runningOutOfHeapExitsWithStatus3() throws Exception {
        // options after the baked ones win: a 2 MiB heap runs out while starting (5 of 5 runs when written)
        Path log = Files.createTempFile(dir, "oom", ".log");
        ProcessBuilder builder = new ProcessBuilder(RunningImage.IMAGE.resolve("bin/java").toAbsolutePath().toString(),
                "-Xms1m", "-Xmx2m", "-m", "kubenurse.app").redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("KUBENURSE_HTTP_PORT", String.valueOf(RunningImage.freePort()));
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running with a 2 MiB heap: " + Files.readString(log));
            String output = Files.readString(log);
            System.out.println("hostile: 2 MiB heap: exit status " + process.exitValue() + ", last line: "
                    + output.lines().reduce((a, b) -> b).orElse(""));
            assertEquals(3, process.exitValue(), output);
            assertTrue(output.contains("OutOfMemoryError"), output);
            assertFalse(output.contains("Exception in thread"), output);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void httpsPortThatCannotBeBoundExitsWithStatus4() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "server");
        try (ServerSocket taken = new ServerSocket(0);
                RunningImage image = RunningImage.start(Map.of("KUBENURSE_USE_TLS", "true",
                        "KUBENURSE_HTTPS_PORT", String.valueOf(taken.getLocalPort()),
                        "KUBENURSE_CERT_FILE", pair.cert().toString(), "KUBENURSE_CERT_KEY", pair.key().toString()), List.of())) {
            int status = image.awaitExit(START);
            System.out.println("hostile: https port in use: exit status " + status);
            assertEquals(4, status, image.output());
            assertTrue(image.output().contains("cannot listen on port " + taken.getLocalPort()), image.output());
            assertFalse(image.output().contains("Exception in thread"), image.output());
        }
    }

    private static RunningImage started(Map<String, String> env) throws Exception {
        RunningImage image = RunningImage.start(env, List.of());
        try {
            image.awaitAlive(START);
            return image;
        } catch (Throwable failed) {
            image.close();
            throw failed;
        }
    }

    /** Alive, /alwayshappy answers, and no thread ever died of an uncaught exception. */
    private static void assertSurvived(RunningImage image) throws Exception {
        assertTrue(image.process.isAlive(), "the image exited with " + ProcStatus.exitOf(image.process) + ":\n" + tail(image.output()));
        assertEquals(200, image.get("/alwayshappy").statusCode());
        assertFalse(image.output().contains("Exception in thread"), tail(image.output()));
    }

    private static String tail(String output) {
        return output.length() <= 4_000 ? output : "..." + output.substring(output.length() - 4_000);
    }

    private static TlsProbe.Seen awaitHttps(int port) throws Exception {
        return Eventually.succeeds(Duration.ofSeconds(10), Duration.ofMillis(50), "https on port " + port, IOException.class,
                () -> TlsProbe.alwayshappy(port), () -> "");
    }

    private static HttpRequest.Builder request(RunningImage image, String path, String method) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + image.port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
    }

    /** A header's echoed values, whether /alive renders them as a list or as one string. */
    private static List<String> values(JsonValue echoed) {
        if (echoed == null) {
            return List.of();
        }
        return echoed.isArray() ? echoed.asArray().values().stream().map(JsonValue::asString).toList()
                : List.of(echoed.asString());
    }

    /** A 12 KB origin that is no pod name: upper case and '_' in every other one, all far beyond 253 characters. */
    private static String malformed12k(int i) {
        String seed = i % 2 == 0 ? "Evil_Origin_" + i + "_" : "kubenurse-" + i + "-";
        return seed.repeat(12 * 1024 / seed.length() + 1).substring(0, 12 * 1024 - 1) + (i % 2 == 0 ? "X" : "z");
    }
}
