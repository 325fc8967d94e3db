package kubenurse.http;

import java.io.IOException;
import kubenurse.config.ServerSettings;
import kubenurse.http.internal.JdkStatusServer;

/**
 * The listening HTTP server (and HTTPS server with TLS). Closing it stops accepting connections and
 * closes both listeners.
 */
public interface StatusServer extends AutoCloseable {

    /**
     * Binds and starts the listeners, and registers the process metrics (resident memory, CPU, open files:
     * what the Go dashboard reads) in the endpoints' registry, which /metrics renders.
     *
     * @throws IOException naming the port when it cannot be bound, or the certificate when it cannot be used
     */
    static StatusServer start(ServerSettings settings, Endpoints endpoints) throws IOException {
        return JdkStatusServer.start(settings, endpoints);
    }

    /** The bound HTTP port (useful when started on port 0). */
    int httpPort();

    /** The bound HTTPS port, or -1 without TLS. */
    int httpsPort();

    @Override
    void close();
}
