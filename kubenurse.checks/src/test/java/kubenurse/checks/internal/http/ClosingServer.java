package kubenurse.checks.internal.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import kubenurse.testing.TestCertificates;

/**
 * A test server that honours {@code Connection: close} as HTTP/1.1 servers do (answers with it and closes),
 * and keeps the connection open otherwise; counts connections, and over TLS the handshakes and the full ones
 * among them. Runs of a test are to be a few milliseconds apart: resumption is told by the session's age.
 * {@code /redirect} answers 302 to {@code /alwayshappy}. {@link #closingSilently()} closes as asked without
 * saying so in the response, as jdk.httpserver and HTTP/1.0 servers do.
 */
final class ClosingServer implements AutoCloseable {

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger handshakes = new AtomicInteger();
    final AtomicInteger fullHandshakes = new AtomicInteger();
    private final ServerSocket socket;
    private final String scheme;
    private volatile boolean saysClose = true;

    private ClosingServer(ServerSocket socket, String scheme) {
        this.socket = socket;
        this.scheme = scheme;
        Thread.ofVirtual().name("closing-server-accept").start(this::acceptLoop);
    }

    static ClosingServer http() throws IOException {
        return new ClosingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
    }

    /** TLS with this certificate, speaking only these protocol versions (e.g. TLSv1.3, TLSv1.2). */
    static ClosingServer https(TestCertificates.Pair pair, String... protocols) throws Exception {
        SSLServerSocket socket = (SSLServerSocket) TestCertificates.serverContext(pair).getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(protocols);
        return new ClosingServer(socket, "https");
    }

    /** From now on, closes a connection when asked but does not answer {@code Connection: close}. */
    ClosingServer closingSilently() {
        saysClose = false;
        return this;
    }

    URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + socket.getLocalPort() + path);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().name("closing-server-conn").start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.ISO_8859_1))) {
            if (connection instanceof SSLSocket tls) {
                long accepted = System.currentTimeMillis();
                tls.startHandshake();
                handshakes.incrementAndGet();
                // a resumed session keeps the creation time of the session it resumes (the JDK carries it in
                // the ticket); a full handshake creates its session now
                if (tls.getSession().getCreationTime() >= accepted) {
                    fullHandshakes.incrementAndGet();
                }
            }
            OutputStream out = connection.getOutputStream();
            while (true) {
                String requestLine = in.readLine();
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                boolean close = false;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    close |= line.toLowerCase().replace(" ", "").equals("connection:close");
                }
                String status = requestLine.startsWith("GET /redirect ")
                        ? "302 Found\r\nLocation: /alwayshappy" : "200 OK";
                out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n"
                        + (close && saysClose ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException clientWentAway) {
            // the next connection is served anyway
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
