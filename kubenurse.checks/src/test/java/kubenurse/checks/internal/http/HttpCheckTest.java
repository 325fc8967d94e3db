package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import kubenurse.checks.internal.trace.Trace;
import kubenurse.config.ApiServer;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TrustSources;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks against real local HTTP and HTTPS servers; no part of the network is mocked. */
class HttpCheckTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair signed;
    static TestCertificates.Pair selfSigned;
    static TestCertificates.Pair wrongHost;
    static TestCertificates.Pair expired;

    private final ExecutorService clientWork = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.certificateAuthority(dir, "test-ca");
        signed = TestCertificates.signedBy(ca, dir, "signed", "DNS:localhost,IP:127.0.0.1");
        wrongHost = TestCertificates.signedBy(ca, dir, "wrong", "DNS:other.example");
        selfSigned = TestCertificates.selfSignedRsa(dir, "self");
        expired = TestCertificates.expiredSignedBy(dir, "expired");
    }

    @AfterEach
    void stop() {
        clientWork.shutdownNow();
    }

    private CheckTransport transport(boolean insecure, Optional<Path> extraCa, boolean reuse) {
        return new CheckTransport(CheckTrust.sslContext(insecure,
                ServiceAccount.of(new ApiServer(Optional.empty(), 443, "kubernetes", dir.resolve("no-serviceaccount")), extraCa), TrustSources.DEFAULTS),
                new GoProxySelector(ProxySettings.none()), Connections.of(reuse), clientWork);
    }

    private Observation run(URI uri) {
        return run(uri, transport(false, Optional.empty(), false));
    }

    private static Observation run(URI uri, CheckTransport transport) {
        return new HttpCheck("me_service", uri, Map::of, transport).run();
    }

    @Test
    void okFor200WithTimingsOfWhatWasObserved() throws Exception {
        try (TestHttpServer server = TestHttpServer.http()) {
            Observation observation = run(server.uri("/alwayshappy"));
            assertEquals("ok", observation.result().outcome());
            assertEquals(200, observation.status().orElseThrow());
            assertNull(observation.errorEvent());
            assertTrue(observation.responseTime().compareTo(observation.elapsed()) <= 0);
            assertEquals(observation.events().get(Trace.GOT_FIRST_RESPONSE_BYTE), observation.responseTime(),
                    "the response time is the moment the headers arrived, read once for both");
            assertEquals(List.of(Trace.GOT_FIRST_RESPONSE_BYTE), List.copyOf(observation.events().keySet()),
                    "an IP literal needs no DNS, plain HTTP no TLS: only what happened is reported");
        }
    }

    @Test
    void otherStatusesAreTheirStatusLine() throws Exception {
        try (TestHttpServer server = TestHttpServer.http().status(404)) {
            Observation notFound = run(server.uri("/"));
            assertEquals("404 Not Found", notFound.result().outcome());
            assertEquals("status_code_404", notFound.errorEvent());
            server.status(500);
            assertEquals("500 Internal Server Error", run(server.uri("/")).result().outcome());
            server.status(599);
            assertEquals("599", run(server.uri("/")).result().outcome());
        }
    }

    @Test
    void redirectsAreFollowedAsGoDoes() throws Exception {
        try (TestHttpServer server = TestHttpServer.http().redirect("/old", "/alwayshappy")) {
            Observation observation = run(server.uri("/old"));
            assertEquals("ok", observation.result().outcome());
            assertEquals(List.of("/old", "/alwayshappy"), server.requests().stream().map(r -> r.get(":path")).toList());
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Observation observation = run(URI.create("http://127.0.0.1:" + closedPort + "/alwayshappy"));
        assertEquals("connection refused", observation.result().outcome());
        assertEquals("connect_done", observation.errorEvent());
        assertTrue(observation.status().isEmpty());
        assertNull(observation.responseTime());
    }

    @Test
    void unknownHostNamesTheHost() {
        Observation observation = run(URI.create("http://kubenurse-missing.invalid:8080/alwayshappy"));
        assertEquals("unknown host kubenurse-missing.invalid", observation.result().outcome());
        assertEquals("dns_done", observation.errorEvent());
    }

    @Test
    void acceptedButNeverAnsweredIsATimeoutAfterSixSeconds() throws Exception {
        try (TestHttpServer server = TestHttpServer.http().hang()) {
            Observation observation = run(server.uri("/alwayshappy"));
            assertEquals("timeout after 6s", observation.result().outcome());
            assertEquals("round_trip_error", observation.errorEvent());
            double seconds = observation.elapsed().toNanos() / 1e9;
            assertTrue(seconds >= 6.0 && seconds < 7.5, "gave up after " + seconds + " s");
        }
    }

    @Test
    void slowServerIsReportedWithItsDelay() throws Exception {
        Duration delay = Duration.ofMillis(300);
        try (TestHttpServer server = TestHttpServer.http().delay(delay);
                java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient()) {
            // against a plain client through the same server, in turns: a busy machine slows both alike
            List<Long> reported = new java.util.ArrayList<>();
            List<Long> plainly = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reported.add(run(server.uri("/alwayshappy")).responseTime().toNanos());
                long started = System.nanoTime();
                plain.send(java.net.http.HttpRequest.newBuilder(server.uri("/alwayshappy")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                plainly.add(System.nanoTime() - started);
            }
            reported.sort(null);
            plainly.sort(null);
            assertTrue(reported.getFirst() >= delay.toNanos(), "never less than the delay: " + reported);
            long beyondPlain = reported.get(1) - plainly.get(1);
            assertTrue(beyondPlain < Duration.ofMillis(50).toNanos(), "median " + reported.get(1) / 1e6 + " ms, a plain client's "
                    + plainly.get(1) / 1e6 + " ms, for a " + delay + " delay");
        }
    }

    @Test
    void everyRunOpensAFreshConnectionUnlessReuseIsOn() throws Exception {
        try (TestHttpServer server = TestHttpServer.http()) {
            CheckTransport fresh = transport(false, Optional.empty(), false);
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), fresh).result().outcome());
            }
            assertEquals(5, server.acceptedConnections(), "one TCP connection per check run");
        }
        try (TestHttpServer server = TestHttpServer.http(); CheckTransport reused = transport(false, Optional.empty(), true)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), reused).result().outcome());
            }
            assertEquals(1, server.acceptedConnections(), "REUSE_CONNECTIONS=true keeps one connection");
        }
    }

    @Test
    void tlsWithExtraCaTimesTheHandshake() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(signed))) {
            Observation observation = run(server.uri("/alwayshappy"), transport(false, Optional.of(ca.cert()), false));
            assertEquals("ok", observation.result().outcome());
            Map<String, Duration> events = observation.events();
            assertEquals(List.of(Trace.TLS_HANDSHAKE_START, Trace.TLS_HANDSHAKE_DONE, Trace.GOT_FIRST_RESPONSE_BYTE),
                    List.copyOf(events.keySet()));
            assertTrue(events.get(Trace.TLS_HANDSHAKE_START).compareTo(events.get(Trace.TLS_HANDSHAKE_DONE)) < 0);
            assertTrue(events.get(Trace.TLS_HANDSHAKE_DONE).compareTo(events.get(Trace.GOT_FIRST_RESPONSE_BYTE)) <= 0);
        }
    }

    @Test
    void untrustedCertificateFailsInTheHandshake() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(selfSigned))) {
            Observation observation = run(server.uri("/alwayshappy"));
            assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)", observation.result().outcome());
            assertEquals("tls_handshake_done", observation.errorEvent());
            assertTrue(observation.events().containsKey(Trace.TLS_HANDSHAKE_START));
            assertFalse(observation.events().containsKey(Trace.TLS_HANDSHAKE_DONE));
        }
    }

    @Test
    void aServerWithNistCurvesOnlyIsReachedOnTheSecondHandshakeOfItsFirstRunThenOnTheFirst() throws Exception {
        CheckTransport transport = transport(false, Optional.of(ca.cert()), false);
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(signed), "secp256r1")) {
            Observation first = run(server.uri("/alwayshappy"), transport);
            assertEquals("ok", first.result().outcome());
            // the first ClientHello offered X25519 and X448 alone, so no P-256 key share was made
            assertEquals(2, server.acceptedConnections(), "refused with one key share, then every group offered");
            assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            assertEquals(3, server.acceptedConnections(), "the destination is remembered");
        }
    }

    @Test
    void aServerWithX25519AndARefusedCertificateAreEachOneHandshake() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(signed), "x25519")) {
            assertEquals("ok", run(server.uri("/alwayshappy"), transport(false, Optional.of(ca.cert()), false))
                    .result().outcome());
            assertEquals(1, server.acceptedConnections());
        }
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(selfSigned))) {
            assertEquals("certificate of 127.0.0.1 not trusted (no path to a trusted CA)",
                    run(server.uri("/alwayshappy")).result().outcome());
            assertEquals(1, server.acceptedConnections(), "our verdict on a certificate is not retried");
        }
    }

    @Test
    void aRedirectToAServerWithNistCurvesOnlyIsFollowedThere() throws Exception {
        CheckTransport transport = transport(false, Optional.of(ca.cert()), false);
        try (TestHttpServer nist = TestHttpServer.https(TestCertificates.serverContext(signed), "secp256r1");
                TestHttpServer plain = TestHttpServer.http().redirect("/alwayshappy", nist.uri("/alwayshappy").toString())) {
            assertEquals("ok", run(plain.uri("/alwayshappy"), transport).result().outcome());
            assertEquals("ok", run(plain.uri("/alwayshappy"), transport).result().outcome());
            assertEquals(3, nist.acceptedConnections(), "refused once, then offered every group: the redirect's target");
        }
    }

    @Test
    void insecureSkipsChainAndHostVerification() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(wrongHost))) {
            assertEquals("ok", run(server.uri("/alwayshappy"), transport(true, Optional.empty(), false)).result().outcome());
        }
    }

    @Test
    void certificateForAnotherHostIsRefused() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(wrongHost))) {
            Observation observation = run(server.uri("/alwayshappy"), transport(false, Optional.of(ca.cert()), false));
            assertEquals("certificate not valid for host 127.0.0.1", observation.result().outcome());
            assertEquals("tls_handshake_done", observation.errorEvent());
        }
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        try (TestHttpServer server = TestHttpServer.https(TestCertificates.serverContext(expired))) {
            Path expiredCa = dir.resolve("expired-ca.crt");
            Observation observation = run(server.uri("/alwayshappy"), transport(false, Optional.of(expiredCa), false));
            assertTrue(observation.result().outcome().startsWith("certificate expired"), observation.result().outcome());
            assertEquals("tls_handshake_done", observation.errorEvent());
        }
    }

    @Test
    void httpProxyIsUsedAsGoUsesIt() throws Exception {
        try (TestHttpServer proxy = TestHttpServer.http(); TestHttpServer direct = TestHttpServer.http()) {
            ProxySettings settings = new ProxySettings(Optional.of(proxy.uri("")), Optional.empty(), List.of("no-proxy.test"));
            CheckTransport transport = new CheckTransport(SSLContext.getDefault(), new GoProxySelector(settings), Connections.of(false),
                    clientWork);
            assertEquals("ok", run(URI.create("http://target.invalid:8080/alwayshappy"), transport).result().outcome());
            assertEquals("http://target.invalid:8080/alwayshappy", proxy.requests().getFirst().get(":path"));
            assertEquals("ok", run(direct.uri("/alwayshappy"), transport).result().outcome());
            assertEquals(1, proxy.requests().size(), "loopback is never proxied");
            assertEquals(1, direct.requests().size());
        }
    }
}
