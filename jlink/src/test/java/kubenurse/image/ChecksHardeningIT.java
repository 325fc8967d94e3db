package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.image.fixture.NetworkNamespaces;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.TlsProbe;
import kubenurse.testing.CannedResponse;
import kubenurse.testing.Eventually;
import kubenurse.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks of the linked image where the network is hostile: a DNS server that takes queries and never
 * answers (for its checks, and for its HTTPS server), a check target that answers with text made to forge log lines.
 */
class ChecksHardeningIT {

    @TempDir
    Path dir;

    private static final String HOST = "never.example.test";
    private static final String WORDS = "DNS lookup of " + HOST + " timed out after 6s";
    /** A lookup joined late ends with the system resolver's own failure: an unknown host, as any failed lookup. */
    private static final String JOINED_WORDS = "unknown host " + HOST;
    private static final Pattern DONE = Pattern.compile(
            "event=check_done type=dns result=\"([^\"]*)\" elapsed_ms=(\\d+\\.\\d+)");
    private static final Pattern ERRORS = Pattern.compile(
            "(?m)^kubenurse_errors_total\\{event=\"dns_start\",type=\"dns\"\\} (\\S+)$");

    static boolean usable() {
        boolean usable = NetworkNamespaces.usable();
        if (!usable) {
            System.out.println("ChecksHardeningIT skipped: needs root and iproute2 (ip netns)");
        }
        return usable;
    }

    /**
     * The image runs in a network namespace whose resolv.conf points at a UDP socket of this JVM on the
     * bridge, which reads every query and answers none.
     */
    @Test
    @EnabledIf(value = "usable", disabledReason = "needs root and iproute2 (ip netns): the hung-DNS test was not run")
    void aDnsServerThatNeverAnswersIsReportedAsDnsWithinTheRequestTimeout() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (SilentDns dns = new SilentDns(); client) {
            Map<String, String> env = Map.of(
                    "KUBENURSE_EXTRA_CHECKS", "dns:http://" + HOST + ":8080/",
                    "KUBENURSE_CHECK_INTERVAL", "2s",
                    "KUBENURSE_LOG_LEVEL", "debug");
            try (RunningImage image = RunningImage.start(env, dns.inNamespace())) {
                URI base = URI.create("http://" + dns.net.ip(0) + ":" + image.port);
                long started = System.nanoTime();
                String outcome = null;
                while (!WORDS.equals(outcome)) {
                    assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(),
                            "no DNS words in /alive after 30 s, last: " + outcome + "\n" + image.output());
                    outcome = lastResult(client, base);
                    Thread.sleep(200);
                }
                Thread.sleep(15_000); // a few more cycles, the lookup thread of the first still hanging
                String log = image.output();
                Matcher done = DONE.matcher(log);
                List<String> results = new ArrayList<>();
                double slowest = 0;
                while (done.find()) {
                    results.add(done.group(1) + " (" + done.group(2) + " ms)");
                    assertTrue(done.group(1).equals(WORDS) || done.group(1).equals(JOINED_WORDS), done.group());
                    slowest = Math.max(slowest, Double.parseDouble(done.group(2)));
                }
                int runs = results.size();
                System.out.printf("hung DNS: %d runs %s, slowest %.0f ms, %d queries swallowed%n", runs, results,
                        slowest, dns.queries());
                assertTrue(runs >= 2, "every run is logged:\n" + log);
                assertTrue(slowest < 6200, "a run took " + slowest + " ms, beyond the 6 s request timeout");
                assertTrue(dns.queries() > 0, "the image's queries reached the silent server");

                String metrics = get(client, base.resolve("/metrics")).body();
                Matcher errors = ERRORS.matcher(metrics);
                assertTrue(errors.find(), "no dns_start errors in\n" + metrics);
                long timedOut = results.stream().filter(r -> r.startsWith(WORDS)).count();
                assertTrue(Double.parseDouble(errors.group(1)) >= timedOut, "one count per run: " + errors.group(0));
                assertTrue(!metrics.contains("event=\"connect_done\",type=\"dns\""), metrics);

                String threads = RunningImage.threadDump(image.process.pid());
                long lookupThreads = threads.lines().filter(l -> l.contains("\"kubenurse-dns-lookup-")).count();
                System.out.printf("hung DNS: %d lookup threads alive%n", lookupThreads);
                assertTrue(lookupThreads <= 2, "a hung name holds one lookup thread (two while one ends and the "
                        + "next begins), not one per run:\n" + threads);
            }
        }
    }

    /**
     * The JDK's HTTPS server asks the resolver for the name of every client it accepts, before the handshake. With
     * DNS silent, that would hold each TLS connection to the image 5 s (the resolv.conf timeout) or more, and a
     * neighbour's check of it would report DNS as its path's latency or failure. The image makes no reverse lookup.
     */
    @Test
    @EnabledIf(value = "usable", disabledReason = "needs root and iproute2 (ip netns): the TLS-server DNS test was not run")
    void anIncomingTlsConnectionWaitsForNoDnsQuery() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedEc(dir, "server");
        try (SilentDns dns = new SilentDns()) {
            int httpsPort = RunningImage.freePort();
            Map<String, String> env = Map.of("KUBENURSE_USE_TLS", "true", "KUBENURSE_HTTPS_PORT", String.valueOf(httpsPort),
                    "KUBENURSE_CERT_FILE", pair.cert().toString(), "KUBENURSE_CERT_KEY", pair.key().toString(),
                    "KUBENURSE_CHECK_ME_INGRESS", "false", "KUBENURSE_CHECK_ME_SERVICE", "false");
            try (RunningImage image = RunningImage.start(env, dns.inNamespace())) {
                TlsProbe.Seen first = Eventually.succeeds(Duration.ofSeconds(20), Duration.ofMillis(50), "the image's HTTPS port",
                        IOException.class, () -> TlsProbe.alwayshappy(dns.net.ip(0), httpsPort), image::output);
                assertEquals(200, first.status());
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    long began = System.nanoTime();
                    assertEquals(200, TlsProbe.alwayshappy(dns.net.ip(0), httpsPort).status());
                    millis.add((System.nanoTime() - began) / 1_000_000);
                }
                System.out.printf("TLS server, DNS silent: 5 connections took %s ms; %d reverse queries, %d queries in all%n",
                        millis, dns.reverseQueries(), dns.queries());
                assertEquals(0, dns.reverseQueries(), "the image asked DNS for a client's name");
                // a reverse lookup would hold each connection for the resolver's 5 s timeout at least
                assertTrue(millis.stream().allMatch(ms -> ms < 5000), "connections held: " + millis + " ms");
            }
        }
    }

    @Test
    void aTargetsTextCannotForgeLogLines() throws Exception {
        String hostile = "HTTP/1.1 x\" level=error fake=1 \u001b[31m";
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().name("hostile-target").start(() -> CannedResponse.serve(target, hostile + "\r\n\r\n"));
            Map<String, String> env = Map.of(
                    "KUBENURSE_EXTRA_CHECKS", "hostile:http://127.0.0.1:" + target.getLocalPort() + "/",
                    "KUBENURSE_LOG_LEVEL", "debug");
            try (RunningImage image = RunningImage.start(env, List.of())) {
                String outcome = Json.parse(image.awaitAlive(Duration.ofSeconds(20)).body()).asObject()
                        .get("last_check_result").asObject().getString("hostile", "");
                assertTrue(outcome.contains(hostile), "the target's text is the result: " + outcome);
                String log = image.output();
                List<String> lines = log.lines().filter(l -> l.contains("event=check_done type=hostile ")).toList();
                assertTrue(!lines.isEmpty(), log);
                for (String line : lines) {
                    // the target's words, escaped inside the quoted result (the JDK's own words around them may change)
                    assertTrue(line.matches(".* result=\"[^\"]*\\\\\"HTTP/1\\.1 x\\\\\" level=error fake=1 \\\\u001b\\[31m.*\" elapsed_ms=.*"), line);
                }
                assertTrue(log.chars().noneMatch(c -> c == 0x1b), "no raw ESC in the log:\n" + log);
                assertTrue(log.lines().filter(l -> l.contains("level=error fake=1"))
                        .allMatch(l -> l.contains("x\\\" level=error fake=1")), "only escaped:\n" + log);
            }
        }
    }

    /**
     * A namespace node whose resolv.conf points at a UDP socket of this JVM on the bridge, which reads every query and
     * answers none (glibc's default timeouts written out: 5 s per try, 2 tries).
     */
    private static final class SilentDns implements AutoCloseable {
        final NetworkNamespaces net = new NetworkNamespaces();
        private final DatagramSocket blackhole;
        private final Path resolvConf;
        private final AtomicInteger queries = new AtomicInteger();
        private final AtomicInteger reverseQueries = new AtomicInteger();

        SilentDns() throws IOException, InterruptedException {
            try {
                net.create(1, "");
                resolvConf = Path.of("/etc/netns", net.namespace(0), "resolv.conf");
                blackhole = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(net.bridgeIp()), 53));
            } catch (IOException | InterruptedException | RuntimeException failed) {
                net.close();
                throw failed;
            }
            Thread.ofVirtual().name("dns-blackhole").start(this::swallow);
            Files.writeString(resolvConf, "nameserver " + net.bridgeIp() + "\noptions timeout:5 attempts:2\n");
        }

        /** The prefix that runs a command in the node. */
        List<String> inNamespace() {
            return List.of("ip", "netns", "exec", net.namespace(0));
        }

        int queries() {
            return queries.get();
        }

        /** Queries for a name under in-addr.arpa or ip6.arpa: what a reverse lookup asks. */
        int reverseQueries() {
            return reverseQueries.get();
        }

        private void swallow() {
            byte[] buffer = new byte[512];
            while (!blackhole.isClosed()) {
                try {
                    DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                    blackhole.receive(query);
                    queries.incrementAndGet();
                    String text = new String(buffer, 0, query.getLength(), StandardCharsets.ISO_8859_1).toLowerCase();
                    if (text.contains("\u0007in-addr\u0004arpa") || text.contains("\u0003ip6\u0004arpa")) {
                        reverseQueries.incrementAndGet();
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(resolvConf); // before the namespace goes: it removes its directory
                blackhole.close();
            } finally {
                net.close();
            }
        }
    }

    private static String lastResult(HttpClient client, URI base) throws InterruptedException {
        try {
            HttpResponse<String> alive = get(client, base.resolve("/alive"));
            JsonObject json = Json.parse(alive.body()).asObject();
            return json.get("last_check_result").asObject().getString("dns", null);
        } catch (IOException notYet) {
            return null;
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
