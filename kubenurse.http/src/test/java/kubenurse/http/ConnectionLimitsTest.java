package kubenurse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kubenurse.checks.CheckResults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's limits against clients that hold connections, send huge heads or trickle: real sockets. */
class ConnectionLimitsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        CheckResults none = new CheckResults(List.of(), List.of(), List.of());
        server = StatusServer.start(StatusServerTest.plainHttp(0), new Endpoints("pod-a", () -> none, registry,
                () -> true, IncomingChecks.register(registry), () -> "skipped", java.util.List::of, false,
                java.util.Map::of));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keptAliveConnectionsUpToTheIdleLimitAreServedAgainAndTheRestClosed() throws Exception {
        int idleLimit = Integer.getInteger("sun.net.httpserver.maxIdleConnections"); // set by the server at start
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < idleLimit * 3; i++) {
                Socket socket = new Socket("127.0.0.1", server.httpPort());
                socket.setSoTimeout(10_000);
                sockets.add(socket);
                assertTrue(exchange(socket).startsWith("HTTP/1.1 200"));
            }
            int servedAgain = 0;
            for (Socket socket : sockets) {
                if (exchange(socket).startsWith("HTTP/1.1 200")) {
                    servedAgain++;
                }
            }
            // a client that keeps hundreds of idle connections cannot hold the server's connection slots
            // jdk.httpserver counts the limit after adding, so it keeps one more than the limit
            assertTrue(servedAgain <= idleLimit + 1, servedAgain + " connections kept beyond the idle limit " + idleLimit);
            assertTrue(servedAgain >= idleLimit / 2, "only " + servedAgain + " kept-alive connections were served again");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aRequestThatAsksToCloseIsToldTheConnectionClosesAndItDoes() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            String head = exchange(socket, "Connection: keep-alive, Close\r\n");
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            // a client that pools connections sees at once that this one is not to be used again
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), head);
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection after the response");
        }
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            String head = exchange(socket);
            assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), head);
            assertTrue(exchange(socket).startsWith("HTTP/1.1 200"), "a kept-alive connection is served again");
        }
    }

    /** One GET /alwayshappy on a kept-alive connection; the response head, or "" when the server closed it. */
    private static String exchange(Socket socket) throws IOException {
        return exchange(socket, "");
    }

    private static String exchange(Socket socket, String headers) throws IOException {
        socket.getOutputStream().write(("GET /alwayshappy HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        // /alwayshappy has an empty body: nothing more to read before the next request
        return head.toString();
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /alive HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertFalse(response.startsWith("HTTP/1.1 200"), response);
        } catch (java.net.SocketException resetByServer) {
            // the server closing the connection mid-request is also a refusal
        }
    }

    @Test
    void aRequestThatTricklesIsCutOff() throws Exception {
        // the surefire configuration sets sun.net.httpserver.maxReqTime=2 for this module
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /alive HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int read = socket.getInputStream().read();
            assertEquals(-1, read, "the server answered a request it never fully received");
        } catch (java.net.SocketException resetByServer) {
            // closed by the server: what is wanted
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 10, "connection held for " + seconds + " s");
    }
}
