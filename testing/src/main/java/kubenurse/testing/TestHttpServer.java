package kubenurse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A small HTTP/1.1 server on real loopback sockets whose behaviour a test sets: the status to answer, a
 * delay before answering, or never answering at all. It counts accepted connections and keeps the headers
 * of every request, so tests can prove fresh connections and where a token went.
 */
public final class TestHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final String scheme;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean hang;
    private final Thread acceptor;

    private TestHttpServer(ServerSocket socket, String scheme) {
        this.socket = socket;
        this.scheme = scheme;
        this.acceptor = Thread.ofVirtual().name("test-http-accept").start(this::acceptLoop);
    }

    public static TestHttpServer http() throws IOException {
        return new TestHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http");
    }

    /** Plain HTTP on a given address and port, e.g. two neighbours on 127.0.0.1 and 127.0.0.2, one port. */
    public static TestHttpServer http(InetAddress address, int port) throws IOException {
        return new TestHttpServer(new ServerSocket(port, 50, address), "http");
    }

    public static TestHttpServer https(SSLContext context) throws IOException {
        return new TestHttpServer(context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress()), "https");
    }

    /** HTTPS that agrees only on {@code namedGroups} (e.g. "secp256r1": a server limited to NIST curves). */
    public static TestHttpServer https(SSLContext context, String... namedGroups) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setNamedGroups(namedGroups);
        socket.setSSLParameters(parameters);
        return new TestHttpServer(socket, "https");
    }

    public TestHttpServer status(int status) {
        this.status = status;
        return this;
    }

    /** Answer every request only after this long. */
    public TestHttpServer delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Accept connections and read requests, but never answer. */
    public TestHttpServer hang() {
        this.hang = true;
        return this;
    }

    /** Answer requests for {@code path} with a 302 to {@code location}. */
    public TestHttpServer redirect(String path, String location) {
        redirects.put(path, location);
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** URL of this server on 127.0.0.1. */
    public URI uri(String path) {
        return URI.create(scheme + "://" + socket.getInetAddress().getHostAddress() + ":" + port() + path);
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    /** Headers of every request so far (names in lower case; ":path" holds the request path). */
    public List<Map<String, String>> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                accepted.incrementAndGet();
                open.add(connection);
                Thread.ofVirtual().name("test-http-conn").start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection;
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.ISO_8859_1))) {
            OutputStream out = connection.getOutputStream();
            while (true) {
                String requestLine = in.readLine();
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new TreeMap<>();
                headers.put(":path", requestLine.split(" ")[1]);
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                requests.add(headers);
                if (hang) {
                    in.read(); // until the client gives up and closes
                    return;
                }
                if (!delay.isZero()) {
                    Thread.sleep(delay);
                }
                String location = redirects.get(headers.get(":path"));
                int code = location != null ? 302 : status;
                String response = "HTTP/1.1 " + code + " Test\r\nContent-Length: 0\r\n"
                        + (location != null ? "Location: " + location + "\r\n" : "") + "\r\n";
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | InterruptedException closed) {
            // the client went away, or the server is closing
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (open) {
            for (Socket connection : open) {
                connection.close();
            }
        }
        acceptor.interrupt();
    }
}
