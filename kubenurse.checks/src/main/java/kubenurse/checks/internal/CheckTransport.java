package kubenurse.checks.internal;

import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * Gives each check run its HTTP client. Unless connections are reused, every run gets a new client, so
 * that it opens a fresh TCP (and TLS) connection whose handshakes are part of what is measured, and whose
 * TLS engine and executor report to the run's {@link Trace}. With reuse, all runs share one client.
 */
final class CheckTransport implements AutoCloseable {

    /** Go kubenurse's dialer timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Go kubenurse's http.Client timeout. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);

    private final SSLContext tls;
    private final ProxySelector proxy;
    private final ExecutorService executor;
    private final HttpClient shared;

    /**
     * @param tls      the trust of the checks
     * @param proxy    which proxy a URL goes through
     * @param reuse    KUBENURSE_REUSE_CONNECTIONS
     * @param executor runs the shared client's work (with reuse); owned by the caller
     */
    CheckTransport(SSLContext tls, ProxySelector proxy, boolean reuse, ExecutorService executor) {
        this.tls = tls;
        this.proxy = proxy;
        this.executor = executor;
        this.shared = reuse ? build(tls, executor) : null;
    }

    /** The client for one run; hand it back with {@link #release}. */
    HttpClient clientFor(Trace trace) {
        if (shared != null) {
            return shared;
        }
        // The run's own client does its work where it stands (the check's thread or the client's selector
        // thread) instead of handing each step to another thread: every hand-off is a thread wake-up, and
        // those were ~0.5 ms of each measured duration (bench/measurement-error.sh). A client serves one
        // request, so nothing else waits behind it.
        Executor inline = task -> ScopedValue.where(Trace.CURRENT, trace).run(task);
        return build(TracingSslContext.wrap(tls, trace), inline);
    }

    void release(HttpClient client) {
        if (client != shared) {
            // closes the run's connection at once; nothing of it is pooled for another run
            client.shutdownNow();
        }
    }

    private HttpClient build(SSLContext context, Executor runOn) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(proxy)
                .sslContext(context)
                .executor(runOn)
                .build();
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.shutdownNow();
        }
    }
}
