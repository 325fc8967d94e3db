package kubenurse.discovery.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import kubenurse.config.Config;
import kubenurse.config.KeyShares;
import kubenurse.config.Pem;
import kubenurse.config.ServiceAccount;
import kubenurse.config.TlsClientContext;
import kubenurse.config.UrlHost;

/**
 * Requests to the Kubernetes API server with the serviceaccount's token and CA: streamed GETs (lists, watches)
 * and exchanges read whole (a read by name, a write), each within a timeout. The token is re-read when its
 * file changes, and a 401 makes it re-read once more and retry once.
 */
final class ApiClient implements AutoCloseable {

    /**
     * Our own bound, not a copy of Go kubenurse (whose discovery goes through client-go): short, so that a list
     * that cannot connect fails and is retried with backoff soon. The checks' 5 s (CheckTransport) is Go
     * kubenurse's check dialer timeout, a compatibility fact that may change on its own.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final ServiceAccount account;
    private final HttpClient client;
    /** Handshakes whose one key share the API server refused (KeyShares), ever. */
    private final AtomicLong keyShareRefusals = new AtomicLong();

    ApiClient(URI base, ServiceAccount account, SSLContext tls, ExecutorService executor) {
        this.base = base;
        this.account = account;
        TlsClientContext.Handshakes counted = new TlsClientContext.Handshakes() {
            @Override
            public void keyShareRefused() {
                keyShareRefusals.incrementAndGet();
            }
        };
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                // one key share, as the checks offer: the P-256 one the JDK adds is unused by a Go API server, and
                // making it was ~0.1-0.2 s of a pod's start-up CPU (BENCHMARKS.md, section 15)
                .sslContext(TlsClientContext.wrap(tls, KeyShares.of(tls), () -> counted))
                .executor(executor)
                .build();
    }

    /**
     * The client of the API server of {@code config} (which must not be in local mode), its requests sent on
     * {@code executor}.
     *
     * @throws IllegalStateException in local mode, or when the serviceaccount's CA cannot be read
     */
    static ApiClient of(Config config, ExecutorService executor) {
        String host = config.apiServer().host().orElseThrow(() -> new IllegalStateException("no API server in local mode"));
        URI base = URI.create("https://" + UrlHost.of(host) + ":" + config.apiServer().port());
        try {
            ServiceAccount account = ServiceAccount.of(config);
            return new ApiClient(base, account, trust(account), executor);
        } catch (IOException | GeneralSecurityException unusable) {
            throw new IllegalStateException("cannot read the API server's CA " + config.apiServer().caFile() + ": "
                    + unusable.getMessage(), unusable);
        }
    }

    /** The API server's URL, for the logs. */
    URI base() {
        return base;
    }

    /**
     * The API server's trust: the serviceaccount's ca.crt plus KUBENURSE_EXTRA_CA, and nothing else (the
     * system CAs do not sign a cluster's API server).
     */
    static SSLContext trust(ServiceAccount account) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(Pem.trustStore(account.apiServerCas()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * Sends a GET of {@code pathAndQuery} and returns the response with its body unread.
     *
     * @param headersTimeout until the response headers arrive
     * @param overallTimeout until the whole body has been read: java.net.http's request timeout also runs
     *                       while a streamed body is read, so a watch needs one longer than itself
     */
    HttpResponse<InputStream> get(String pathAndQuery, Duration headersTimeout, Duration overallTimeout)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(pathAndQuery, headersTimeout, overallTimeout);
        if (response.statusCode() == 401) {
            response.body().close();
            account.reloadToken();
            response = send(pathAndQuery, headersTimeout, overallTimeout);
        }
        return response;
    }

    private HttpResponse<InputStream> send(String pathAndQuery, Duration headersTimeout, Duration overallTimeout)
            throws IOException, InterruptedException {
        HttpRequest request = request(pathAndQuery, overallTimeout).GET().build();
        return sendOnceMore(request, HttpResponse.BodyHandlers.ofInputStream(), pathAndQuery, headersTimeout);
    }

    /**
     * Sends {@code request} and awaits its answer within {@code timeout}; once more, within what is left of it,
     * when this request's TLS handshake failed and the API server refused a handshake offered one key share
     * meanwhile, as the new connection then offers every group.
     */
    private <T> HttpResponse<T> sendOnceMore(HttpRequest request, HttpResponse.BodyHandler<T> body, String what,
                                             Duration timeout) throws IOException, InterruptedException {
        long refusals = keyShareRefusals.get();
        long start = System.nanoTime();
        try {
            return await(client.sendAsync(request, body), what, timeout);
        } catch (IOException failed) {
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            if (keyShareRefusals.get() == refusals || !handshakeFailed(failed) || !left.isPositive()) {
                throw failed;
            }
            try {
                return await(client.sendAsync(request, body), what, left);
            } catch (IOException again) {
                again.addSuppressed(failed);
                throw again;
            }
        }
    }

    /** A failure of the TLS handshake (not, e.g., a timeout of a request whose connection was fine). */
    private static boolean handshakeFailed(IOException failed) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** An answer read whole: its status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends {@code method} of {@code path} with {@code body} (null: none) of {@code contentType} and reads the
     * whole answer within {@code timeout}, connection included; a 401 makes it re-read the token and send once more.
     */
    Answer exchange(String method, String path, String contentType, String body, Duration timeout)
            throws IOException, InterruptedException {
        Answer answer = exchangeOnce(method, path, contentType, body, timeout);
        if (answer.status() == 401) {
            account.reloadToken();
            answer = exchangeOnce(method, path, contentType, body, timeout);
        }
        return answer;
    }

    private Answer exchangeOnce(String method, String path, String contentType, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, timeout);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = sendOnceMore(request.build(), HttpResponse.BodyHandlers.ofString(),
                method + " " + path, timeout);
        return new Answer(response.statusCode(), response.body());
    }

    private HttpRequest.Builder request(String pathAndQuery, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "kubenurse");
        account.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    /** The exchange's answer within {@code timeout}; else it is cancelled and a timeout naming {@code what} thrown. */
    private static <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> exchange, String what, Duration timeout)
            throws IOException, InterruptedException {
        try {
            return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException noAnswer) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no response from " + what.replaceAll("\\?.*", "") + " within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(failed.getCause());
        } catch (InterruptedException interrupted) {
            exchange.cancel(true);
            throw interrupted;
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
