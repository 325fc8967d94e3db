package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kubenurse.config.ApiServer;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServiceAccount;
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
        return new CheckTransport(CheckTrust.sslContext(false, ServiceAccount.of(
                new ApiServer(Optional.empty(), 443, "kubernetes", dir.resolve("no-serviceaccount")), Optional.of(ca.cert()))),
                new GoProxySelector(ProxySettings.none()), reuse, clientWork);
    }

    private static Observation run(URI uri, CheckTransport transport) {
        return new HttpCheck("neighbourhood", uri, Map::of, transport).run();
    }

    @Test
    void theLaunchersPropertyLetsChecksSendConnectionClose() {
        assertTrue(CheckTransport.CAN_SEND_CLOSE, "jdk.httpclient.allowRestrictedHeaders=connection is set for the tests");
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
    void aServerThatKeepsTheConnectionOpenGetsANewClientPerRun() throws Exception {
        try (TestHttpServer server = TestHttpServer.http(); CheckTransport transport = transport(false)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", run(server.uri("/alwayshappy"), transport).result().outcome());
            }
            assertEquals(5, server.acceptedConnections(), "a connection left open is never used by the next run");
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
}
