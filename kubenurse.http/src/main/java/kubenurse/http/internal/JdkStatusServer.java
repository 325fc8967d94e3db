package kubenurse.http.internal;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import kubenurse.config.ServerSettings;
import kubenurse.http.Endpoints;
import kubenurse.http.StatusServer;

/** The HTTP listener and, with TLS, the HTTPS listener, both served by one router on virtual threads. */
public final class JdkStatusServer implements StatusServer {

    private static final Logger LOG = System.getLogger("kubenurse.http");
    private static final int BACKLOG = 256;
    /** Seconds a stop waits for exchanges in progress; shutdown has already drained traffic by then. */
    private static final int STOP_DELAY_SECONDS = 1;

    private final HttpServer http;
    private final HttpsServer https;
    private final ExecutorService executor;

    private JdkStatusServer(HttpServer http, HttpsServer https, ExecutorService executor) {
        this.http = http;
        this.https = https;
        this.executor = executor;
    }

    public static StatusServer start(ServerSettings settings, Endpoints endpoints) throws IOException {
        ServerLimits.applyDefaults();
        Router router = new Router(endpoints);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-http-", 0).factory());
        HttpServer http = null;
        HttpsServer https = null;
        try {
            http = bind(settings.httpPort(), HttpServer::create);
            http.createContext("/", router);
            http.setExecutor(executor);
            if (settings.useTls()) {
                SSLContext tls = ReloadingKeyManager.sslContext(
                        settings.certFile().orElseThrow(), settings.certKey().orElseThrow());
                https = bind(settings.httpsPort(), HttpsServer::create);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                https.createContext("/", router);
                https.setExecutor(executor);
            }
        } catch (IOException | RuntimeException failed) {
            if (http != null) {
                http.stop(0);
            }
            executor.shutdownNow();
            throw failed;
        }
        ProcessMetrics.register(endpoints.registry()); // once bound: a start that fails registers nothing
        http.start();
        if (https != null) {
            https.start();
        }
        JdkStatusServer server = new JdkStatusServer(http, https, executor);
        LOG.log(Level.INFO, "event=listening http_port=" + server.httpPort()
                + (https != null ? " https_port=" + server.httpsPort() : ""));
        return server;
    }

    /** Binds at once, so that a port in use fails here with the port in the message. */
    private static <S extends HttpServer> S bind(int port, ServerFactory<S> factory) throws IOException {
        try {
            return factory.create(new InetSocketAddress(port), BACKLOG);
        } catch (BindException inUse) {
            BindException failure = new BindException("cannot listen on port " + port + ": " + inUse.getMessage());
            failure.initCause(inUse);
            throw failure;
        }
    }

    @FunctionalInterface
    private interface ServerFactory<S extends HttpServer> {
        S create(InetSocketAddress address, int backlog) throws IOException;
    }

    @Override
    public int httpPort() {
        return http.getAddress().getPort();
    }

    @Override
    public int httpsPort() {
        return https != null ? https.getAddress().getPort() : -1;
    }

    @Override
    public void close() {
        http.stop(STOP_DELAY_SECONDS);
        if (https != null) {
            https.stop(STOP_DELAY_SECONDS);
        }
        // interrupts handlers still waiting, e.g. an /alive waiting for a check cycle
        executor.shutdownNow();
        LOG.log(Level.INFO, "event=stopped_listening");
    }
}
