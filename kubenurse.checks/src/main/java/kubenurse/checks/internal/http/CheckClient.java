package kubenurse.checks.internal.http;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.util.Set;
import javax.net.ssl.SSLContext;
import kubenurse.checks.internal.trace.Trace;
import kubenurse.checks.internal.trace.TraceHandshakes;
import kubenurse.config.KeyShares;
import kubenurse.config.TlsClientContext;

/**
 * The HTTP client of one check, serving one run at a time: every task of its work runs where it stands (the
 * check's thread or the client's selector thread) with the run's {@link Trace} bound, and every TLS engine it
 * makes reports to that trace. Whether it outlives the run is {@link CheckTransport}'s decision.
 */
final class CheckClient implements AutoCloseable {

    private final HttpClient client;
    private final Serving serving = new Serving();
    private volatile Set<String> lastConnections = Set.of();

    /**
     * @param resumable false: every TLS connection does a full handshake
     * @param keyShares which named groups each destination is offered
     */
    CheckClient(SSLContext tls, ProxySelector proxy, boolean resumable, KeyShares keyShares) {
        // The JDK frees a client's implementation (its selector, its pool) only once the HttpClient object handed
        // out here is unreachable, and until then holds the implementation, and so the executor and TLS context
        // given to it, from a Cleaner. So neither may reach this object (which holds that HttpClient): both see
        // only the small Serving holder, otherwise every client ever given up stays in memory.
        Serving run = serving;
        // inline instead of handing each step to another thread: every hand-off is a thread wake-up, and those
        // were ~0.5 ms of each measured duration (bench/measurement-error.sh). The client serves one run at a
        // time, so nothing else waits behind it.
        this.client = CheckTransport.builder(proxy)
                .sslContext(TlsClientContext.wrap(tls, keyShares, () -> TraceHandshakes.of(run.trace(), resumable)))
                .executor(run::execute)
                .build();
    }

    /** The client, now serving the run of this trace. */
    HttpClient serve(Trace trace) {
        serving.trace = trace;
        return client;
    }

    /**
     * The run is over.
     *
     * @param connections the connection labels of the run's responses (a redirect has several)
     * @return true when the run was served on a connection an earlier run of this client had left open
     */
    boolean idle(Set<String> connections) {
        serving.trace = null;
        boolean reused = connections.stream().anyMatch(lastConnections::contains);
        lastConnections = connections;
        return reused;
    }

    /** Closes its connections at once. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    /** The run being served: all that the client's own work may see of its owner. */
    private static final class Serving {
        volatile Trace trace;

        Trace trace() {
            return trace;
        }

        void execute(Runnable task) {
            Trace current = trace;
            if (current == null) {
                task.run(); // what is left of an earlier run, e.g. its connection closing
            } else {
                ScopedValue.where(Trace.CURRENT, current).run(task);
            }
        }
    }
}
