package kubenurse.checks.internal.http;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import kubenurse.checks.internal.trace.Trace;
import kubenurse.config.KeyShares;
import kubenurse.config.LogValue;

/**
 * Gives each check run its HTTP client. Unless connections are reused, every run opens a fresh TCP (and TLS,
 * with a full handshake) connection whose handshakes are part of what is measured. For that each check has a
 * client of its own that sends {@code Connection: close}, so that the server ends the connection after the
 * response and nothing is pooled; the client is kept for the check's next run. A server that does not close
 * when asked is found out when the next run comes back on the earlier run's connection: that check then gets a
 * new client per run. Without the JVM's leave to send that header (system property
 * {@code jdk.httpclient.allowRestrictedHeaders=connection}) every run gets a new client, which costs a thread
 * start and stop per run. With reuse, all runs share one client and its pool.
 */
public final class CheckTransport implements AutoCloseable {

    /** Go kubenurse's dialer timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Go kubenurse's http.Client timeout. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(6);
    /**
     * A client session cache whose lifetime is above TLS 1.3's longest ticket lifetime (7 days) discards the
     * tickets servers send, so that no later connection resumes with one.
     */
    private static final int NO_TICKETS = 7 * 24 * 3600 + 1;

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final SSLContext tls;
    private final ProxySelector proxy;
    private final Connections connections;
    private final HttpClient shared;
    /** The fresh clients' named groups per destination (the shared client, with reuse, offers the JDK's). */
    private final KeyShares keyShares;
    // the bookkeeping below is guarded by this; runs are seconds apart, so a lock costs nothing that shows
    /** Each check's client between its runs. */
    private final Map<String, CheckClient> idle = new HashMap<>();
    /** Checks whose server kept a connection open that the check asked to close. */
    private final Set<String> keepsOpen = new HashSet<>();
    /** Runs under way, by check key. */
    private final Map<String, Integer> running = new HashMap<>();
    /** Checks that left the plan while a run of theirs was under way: forgotten when the last one ends. */
    private final Set<String> departed = new HashSet<>();
    private boolean closed;

    /** One run's client; hand it back with {@link CheckTransport#release}. */
    record Lease(String key, HttpClient client, CheckClient own, boolean sendsClose) {
    }

    /**
     * @param tls      the trust of the checks
     * @param proxy    which proxy a URL goes through
     * @param connections {@link Connections#of} KUBENURSE_REUSE_CONNECTIONS
     * @param executor    runs the shared client's work (with reuse); owned by the caller
     */
    public CheckTransport(SSLContext tls, ProxySelector proxy, Connections connections, ExecutorService executor) {
        this.tls = tls;
        this.proxy = proxy;
        this.connections = connections;
        this.keyShares = KeyShares.of(tls);
        this.shared = connections == Connections.REUSED ? builder(proxy).sslContext(tls).executor(executor).build() : null;
        if (shared == null) {
            tls.getClientSessionContext().setSessionTimeout(NO_TICKETS);
        }
    }

    static HttpClient.Builder builder(ProxySelector proxy) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(proxy);
    }

    /** The client for one run of the check {@code key}, never serving another run at the same time. */
    Lease lease(String key, Trace trace) {
        if (shared != null) {
            return new Lease(key, shared, null, false);
        }
        boolean kept = connections == Connections.FRESH_KEPT_CLIENT;
        CheckClient own;
        synchronized (this) {
            running.merge(key, 1, Integer::sum);
            own = kept ? idle.remove(key) : null;
        }
        if (own == null) {
            own = new CheckClient(tls, proxy, false, keyShares);
        }
        return new Lease(key, own.serve(trace), own, kept);
    }

    /**
     * The run is over. Its client is kept for the check's next run unless the run failed (a connection may be
     * left in any state), or the server is known to keep connections open that the check asked to close.
     *
     * @param response the run's response, or null when it failed
     * @return true when the run was served on a connection an earlier run had left open (its server ignores
     *         {@code Connection: close}): not a measurement of a fresh connection; the check's next run gets a
     *         new client
     */
    boolean release(Lease lease, HttpResponse<?> response) {
        CheckClient own = lease.own();
        if (own == null) {
            return false;
        }
        String key = lease.key();
        boolean reused = own.idle(connectionLabels(response));
        CheckClient replaced = null;
        boolean keep;
        synchronized (this) {
            boolean last = running.compute(key, (k, runs) -> runs == null || runs <= 1 ? null : runs - 1) == null;
            boolean gone = last ? departed.remove(key) : departed.contains(key);
            if (reused && !gone && keepsOpen.add(key)) {
                // the type only: the key holds the URL, which may carry credentials
                LOG.log(Level.INFO, "event=server_keeps_connections_open check=" + LogValue.quote(key.split(" ")[0])
                        + " consequence=\"a new client per run\"");
            }
            keep = response != null && lease.sendsClose() && !keepsOpen.contains(key) && !gone && !closed;
            if (keep) {
                replaced = idle.put(key, own);
            }
        }
        if (!keep) {
            own.close();
        }
        if (replaced != null) {
            replaced.close();
        }
        return reused;
    }

    /** Forgets the checks that left the plan: their clients are closed, at once or when their run ends. */
    public void forget(Set<String> departedKeys) {
        List<CheckClient> unused = new ArrayList<>();
        synchronized (this) {
            for (String key : departedKeys) {
                keepsOpen.remove(key);
                CheckClient client = idle.remove(key);
                if (client != null) {
                    unused.add(client);
                }
                if (running.containsKey(key)) {
                    departed.add(key);
                }
            }
        }
        unused.forEach(CheckClient::close);
    }

    /** The labels of the connections that served a response and the responses it was redirected from. */
    private static Set<String> connectionLabels(HttpResponse<?> response) {
        Set<String> labels = new HashSet<>();
        for (HttpResponse<?> hop = response; hop != null; hop = hop.previousResponse().orElse(null)) {
            hop.connectionLabel().ifPresent(labels::add);
        }
        return labels;
    }

    /** Says once, at start, how fresh connections are made. */
    public static void logHowConnectionsAreMade(Connections connections) {
        if (connections == Connections.FRESH_CLIENT_PER_RUN) {
            LOG.log(Level.INFO, "event=check_client_per_run reason=\"the JVM does not allow the Connection header: "
                    + "-Djdk.httpclient.allowRestrictedHeaders=connection keeps one client per check\"");
        }
    }

    @Override
    public void close() {
        List<CheckClient> unused;
        synchronized (this) {
            closed = true;
            unused = List.copyOf(idle.values());
            idle.clear();
        }
        if (shared != null) {
            shared.shutdownNow();
        }
        unused.forEach(CheckClient::close);
    }
}
