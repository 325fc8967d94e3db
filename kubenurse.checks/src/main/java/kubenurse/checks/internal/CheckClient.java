package kubenurse.checks.internal;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;

/**
 * The HTTP client of one check, serving one run at a time: every task of its work runs where it stands (the
 * check's thread or the client's selector thread) with the run's {@link Trace} bound, and every TLS engine it
 * makes reports to that trace. Whether it outlives the run is {@link CheckTransport}'s decision.
 */
final class CheckClient implements AutoCloseable {

    private final HttpClient client;
    private volatile Trace serving;
    private volatile long idleSinceNanos;

    /** @param resumable false: every TLS connection does a full handshake */
    CheckClient(SSLContext tls, ProxySelector proxy, boolean resumable) {
        // inline instead of handing each step to another thread: every hand-off is a thread wake-up, and those
        // were ~0.5 ms of each measured duration (bench/measurement-error.sh). The client serves one run at a
        // time, so nothing else waits behind it.
        this.client = CheckTransport.builder(proxy)
                .sslContext(TracingSslContext.wrap(tls, () -> serving, resumable))
                .executor(task -> {
                    Trace trace = serving;
                    if (trace == null) {
                        task.run(); // what is left of an earlier run, e.g. its connection closing
                    } else {
                        ScopedValue.where(Trace.CURRENT, trace).run(task);
                    }
                })
                .build();
    }

    /** The client, now serving the run of this trace. */
    HttpClient serve(Trace trace) {
        serving = trace;
        return client;
    }

    /** The run is over. */
    void idle() {
        serving = null;
        idleSinceNanos = System.nanoTime();
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    /** Closes its connections at once. */
    @Override
    public void close() {
        client.shutdownNow();
    }
}
