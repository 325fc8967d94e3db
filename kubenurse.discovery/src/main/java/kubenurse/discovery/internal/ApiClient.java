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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kubenurse.config.Pem;
import kubenurse.config.ServiceAccount;

/**
 * GET requests to the Kubernetes API server with the serviceaccount's token and CA: the token is
 * re-read when its file changes, and a 401 makes it re-read once more and retry once.
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

    ApiClient(URI base, ServiceAccount account, SSLContext tls, ExecutorService executor) {
        this.base = base;
        this.account = account;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(tls)
                .executor(executor)
                .build();
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
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(overallTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "kubenurse");
        account.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        CompletableFuture<HttpResponse<InputStream>> exchange =
                client.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try {
            return exchange.get(headersTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException noHeaders) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no response from " + pathAndQuery.replaceAll("\\?.*", "") + " within "
                    + headersTimeout.toSeconds() + " s");
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
