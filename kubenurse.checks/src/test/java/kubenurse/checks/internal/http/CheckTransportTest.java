package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kubenurse.checks.internal.trace.Trace;
import kubenurse.config.ApiServer;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TrustSources;
import kubenurse.testing.Eventually;
import kubenurse.testing.LiveObjects;
import kubenurse.testing.TestCertificates;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fresh connections with a check's long-lived client, against real servers that count what they saw. */
class CheckTransportTest {

    private static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";

    @TempDir
    static Path dir;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair signed;

    private final ExecutorService clientWork = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.certificateAuthority(dir, "test-ca");
        signed = TestCertificates.signedBy(ca, dir, "signed", "IP:127.0.0.1");
    }

    @AfterEach
    void stop() {
        clientWork.shutdownNow();
    }

    private CheckTransport transport(boolean reuse) {
        return transport(Connections.of(reuse));
    }

    private CheckTransport transport(Connections connections) {
        return new CheckTransport(CheckTrust.sslContext(false, ServiceAccount.of(
                new ApiServer(Optional.empty(), 443, "kubernetes", dir.resolve("no-serviceaccount")), Optional.of(ca.cert())), TrustSources.DEFAULTS),
                new GoProxySelector(ProxySettings.none()), connections, clientWork);
    }

    private static Observation run(URI uri, CheckTransport transport) {
        return new HttpCheck("neighbourhood", uri, Map::of, transport).run();
    }

    @Test
    void theLaunchersPropertyLetsChecksKeepTheirClient() {
        assertTrue(Connections.JVM_ALLOWS_CLOSE, "jdk.httpclient.allowRestrictedHeaders=connection is set for the tests");
        assertEquals(Connections.FRESH_KEPT_CLIENT, Connections.of(false));
        assertEquals(Connections.REUSED, Connections.of(true));
    }

    @Test
    void withoutTheConnectionHeaderEveryRunHasAClientOfItsOwnAndNoneStays() throws Exception {
        long before = LiveObjects.count(CLIENT);
        try (ClosingServer server = ClosingServer.http(); CheckTransport transport = transport(Connections.FRESH_CLIENT_PER_RUN)) {
            CheckTransport.Lease first = transport.lease("neighbourhood a", new Trace());
            assertFalse(first.sendsClose());
            transport.release(first, null);
            assertNotSame(first.client(), transport.lease("neighbourhood a", new Trace()).client());
            for (int i = 0; i < 10; i++) {
                Observation observation = run(server.uri("/alwayshappy"), transport);
                assertEquals("ok", observation.result().outcome());
            }
            assertEquals(10, server.connections.get(), "a fresh connection per run");
            long live = Eventually.within(Duration.ofSeconds(20), "live clients", () -> LiveObjects.count(CLIENT) - before,
                    clients -> clients <= 1);
            assertTrue(live <= 1, live + " clients live");
        }
    }

    @Test
    void aChecksClientIsKeptAndEveryRunStillOpensAFreshConnection() throws Exception {
        try (ClosingServer server = ClosingServer.http(); CheckTransport transport = transport(false)) {
            CheckTransport.Lease first = transport.lease("neighbourhood a", new Trace());
            assertTrue(first.sendsClose());
            HttpResponse<Void> response = first.client().send(HttpRequest.newBuilder(server.uri("/alwayshappy"))
                    .header("Connection", "close").build(), HttpResponse.BodyHandlers.discarding());
            transport.release(first, response);
            CheckTransport.Lease second = transport.lease("neighbourhood a", new Trace());
            assertSame(first.client(), second.client(), "the server closed: the client is kept for the next run");
            assertNotSame(second.client(), transport.lease("neighbourhood b", new Trace()).client(), "one client per check");
            transport.release(second, null);

            for (int i = 0; i < 5; i++) {
                Observation observation = run(server.uri("/alwayshappy"), transport);
                assertEquals("ok", observation.result().outcome());
                assertEquals(List.of(Trace.GOT_FIRST_RESPONSE_BYTE), List.copyOf(observation.events().keySet()));
            }
            assertEquals(6, server.connections.get(), "one TCP connection per run, kept client or not");
        }
    }

    @Test
    void theCheckAsksTheServerToClose() throws Exception {
        try (TestHttpServer server = TestHttpServer.http(); CheckTransport transport = transport(false)) {
            assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            assertEquals("close", server.requests().getFirst().get("connection"), "the check asked for the close");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void everyTlsRunIsAFullHandshakeTracedOnTheRunsOwnTrace(String protocol) throws Exception {
        // TLS 1.3 resumes with tickets the server sends; TLS 1.2 by session id (or a ticket)
        try (ClosingServer server = ClosingServer.https(signed, protocol); CheckTransport transport = transport(false)) {
            for (int i = 0; i < 5; i++) {
                Observation observation = run(server.uri("/alwayshappy"), transport);
                assertEquals("ok", observation.result().outcome());
                Thread.sleep(20); // the server tells a resumed session by its age in milliseconds
                assertEquals(List.of(Trace.TLS_HANDSHAKE_START, Trace.TLS_HANDSHAKE_DONE, Trace.GOT_FIRST_RESPONSE_BYTE), List.copyOf(observation.events().keySet()), "run " + i);
            }
            assertEquals(5, server.connections.get(), "a fresh connection per run");
            assertEquals(5, server.handshakes.get());
            assertEquals(5, server.fullHandshakes.get(), "no run resumed an earlier run's TLS session");
        }
    }

    @Test
    void withReuseOneConnectionServesEveryRun() throws Exception {
        try (ClosingServer server = ClosingServer.https(signed, "TLSv1.3"); CheckTransport transport = transport(true)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            }
            assertEquals(1, server.connections.get());
            assertEquals(1, server.fullHandshakes.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"refused", "answered on a connection left open", "closed without saying so", "redirected",
            "TLS failure", "timed out"})
    void runsLeaveAtMostOneLiveClientPerCheck(String ending) throws Exception {
        long before = LiveObjects.count(CLIENT);
        int refusedPort;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = taken.getLocalPort();
        }
        try (TestHttpServer keepsOpen = TestHttpServer.http();
                TestHttpServer hangs = TestHttpServer.http().hang();
                TestHttpServer untrusted = TestHttpServer.https(TestCertificates.serverContext(
                        TestCertificates.selfSignedEc(dir, "untrusted")));
                ClosingServer silent = ClosingServer.http().closingSilently();
                ClosingServer closing = ClosingServer.http();
                CheckTransport transport = transport(false)) {
            URI uri = switch (ending) {
                case "refused" -> URI.create("http://127.0.0.1:" + refusedPort + "/alwayshappy");
                case "answered on a connection left open" -> keepsOpen.uri("/alwayshappy");
                case "closed without saying so" -> silent.uri("/alwayshappy");
                case "redirected" -> closing.uri("/redirect");
                case "TLS failure" -> untrusted.uri("/alwayshappy");
                default -> hangs.uri("/alwayshappy");
            };
            HttpCheck check = new HttpCheck("neighbourhood", uri, Map::of, transport);
            List<Observation> runs = new ArrayList<>();
            if (ending.equals("timed out")) {
                // each run waits out the six-second timeout: three at once, each gets a client of its own
                try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (Future<Observation> run : parallel.invokeAll(Collections.nCopies(3, (java.util.concurrent.Callable<Observation>) check::run))) {
                        runs.add(run.get());
                    }
                }
            } else {
                for (int i = 0; i < 20; i++) {
                    runs.add(check.run());
                }
            }
            String expected = switch (ending) {
                case "refused" -> "connection refused";
                case "TLS failure" -> "certificate";
                case "timed out" -> "timeout";
                default -> "ok";
            };
            runs.forEach(run -> assertTrue(run.result().outcome().contains(expected), ending + ": " + run.result().outcome()));
            // a histogram collects first: a client given up, and every object of its, is gone once unreachable
            long live = Eventually.within(Duration.ofSeconds(20), "live java.net.http clients after " + runs.size()
                    + " runs, " + before + " before", () -> LiveObjects.count(CLIENT) - before, clients -> clients <= 1);
            assertTrue(live <= 1, live + " clients live");
        }
    }

    @Test
    void aServerThatClosesWithoutSayingSoKeepsTheChecksClientAndEveryRunIsFresh() throws Exception {
        try (ClosingServer server = ClosingServer.http().closingSilently(); CheckTransport transport = transport(false)) {
            CheckTransport.Lease first = transport.lease("neighbourhood a", new Trace());
            HttpResponse<Void> response = first.client().send(HttpRequest.newBuilder(server.uri("/alwayshappy"))
                    .header("Connection", "close").build(), HttpResponse.BodyHandlers.discarding());
            assertTrue(response.headers().firstValue("Connection").isEmpty(), "the server did not say it closes");
            assertFalse(transport.release(first, response));
            assertSame(first.client(), transport.lease("neighbourhood a", new Trace()).client(),
                    "a client whose run answered is kept, header or not");
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            }
            assertEquals(6, server.connections.get(), "every run on a fresh connection");
        }
    }

    @Test
    void aRunServedOnAConnectionAnEarlierRunLeftOpenIsMeasuredAgainOnAFreshOne() throws Exception {
        try (TestHttpServer server = TestHttpServer.http(); CheckTransport transport = transport(false)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            }
            // the second run found the first run's connection still open (this server ignores Connection: close),
            // and was made again on a new client: five fresh connections measured, one request more
            assertEquals(5, server.acceptedConnections(), "every observation was made on a fresh connection");
            assertEquals(6, server.requests().size());
        }
    }

    @Test
    void aCheckThatLeftThePlanHasItsClientClosedAtOnceOrWhenItsRunEnds() throws Exception {
        try (ClosingServer server = ClosingServer.http(); CheckTransport transport = transport(false)) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/alwayshappy")).header("Connection", "close").build();
            CheckTransport.Lease first = transport.lease("path_node-b a", new Trace());
            transport.release(first, first.client().send(request, HttpResponse.BodyHandlers.discarding()));
            transport.forget(java.util.Set.of("path_node-b a"));
            CheckTransport.Lease second = transport.lease("path_node-b a", new Trace());
            assertNotSame(first.client(), second.client(), "the idle client of a check that left is gone");
            assertTrue(first.client().awaitTermination(Duration.ofSeconds(10)), "and closed");

            transport.forget(java.util.Set.of("path_node-b a")); // while the second run is under way
            transport.release(second, second.client().send(request, HttpResponse.BodyHandlers.discarding()));
            assertTrue(second.client().awaitTermination(Duration.ofSeconds(10)), "closed when the run that outlived its plan ended");

            CheckTransport.Lease third = transport.lease("path_node-b a", new Trace());
            transport.release(third, third.client().send(request, HttpResponse.BodyHandlers.discarding()));
            assertSame(third.client(), transport.lease("path_node-b a", new Trace()).client(),
                    "planned again, the check keeps its client as before");
        }
    }
}
