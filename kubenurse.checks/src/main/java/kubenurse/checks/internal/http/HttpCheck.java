package kubenurse.checks.internal.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import kubenurse.checks.CheckResult;
import kubenurse.checks.internal.trace.Trace;

/**
 * One HTTP GET whose answer is the check: 200 is ok, another status is its status line, no response is
 * the failure in words. The request duration is measured from sending to the response headers, as Go's
 * promhttp round-tripper measures it; the clock starts after the client is ready.
 */
public final class HttpCheck implements Check {

    private final String type;
    private final URI uri;
    private final Supplier<Map<String, String>> headers;
    private final CheckTransport transport;

    /**
     * @param headers extra request headers, asked on every run (the token file is re-read, it rotates)
     */
    public HttpCheck(String type, URI uri, Supplier<Map<String, String>> headers, CheckTransport transport) {
        this.type = type;
        this.uri = uri;
        this.headers = headers;
        this.transport = transport;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String key() {
        return type + " " + uri;
    }

    @Override
    public boolean tls() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    @Override
    public Observation run() {
        Attempt attempt = attempt();
        if (attempt.oneShareRefused()) {
            // a server refused a ClientHello with one key share (KeyShares): this run's figure is the next
            // attempt's, with every group offered to that server, as every later run's will be
            attempt = attempt();
        }
        // a server that ignores Connection: close left the earlier run's connection open and this run used it:
        // not the fresh connection a check measures. The transport now gives this check a new client per run.
        return attempt.reusedConnection() ? attempt().observation() : attempt.observation();
    }

    /**
     * One request; whether it came back on a connection an earlier run left open; whether a server refused a TLS
     * handshake offered one key share.
     */
    private record Attempt(Observation observation, boolean reusedConnection, boolean oneShareRefused) {
    }

    private Attempt attempt() {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(CheckTransport.REQUEST_TIMEOUT)
                .header("User-Agent", "kubenurse");
        headers.get().forEach(request::header);
        Trace trace = new Trace();
        CheckTransport.Lease lease = transport.lease(key(), trace);
        if (lease.sendsClose()) {
            request.header("Connection", "close");
        }
        HttpResponse<Void> response = null;
        Observation observation;
        try {
            trace.begin();
            CompletableFuture<HttpResponse<Void>> exchange = ScopedValue.where(Trace.CURRENT, trace).call(
                    () -> lease.client().sendAsync(request.build(), answer -> {
                        trace.mark(Trace.GOT_FIRST_RESPONSE_BYTE);
                        return HttpResponse.BodySubscribers.discarding();
                    }));
            response = awaitWithin(exchange, trace);
            observation = answered(response.statusCode(), trace);
        } catch (TimeoutException stillWaiting) {
            observation = failed(Failure.timeout(CheckTransport.REQUEST_TIMEOUT, trace), trace);
        } catch (ExecutionException failed) {
            observation = failed(Failure.of(failed.getCause(), uri.getHost(), CheckTransport.CONNECT_TIMEOUT,
                    CheckTransport.REQUEST_TIMEOUT, trace), trace);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            observation = failed(new Failure("interrupted: kubenurse is stopping", Failure.ROUND_TRIP), trace);
        } catch (RuntimeException | Error unexpected) {
            transport.release(lease, null);
            throw unexpected;
        }
        return new Attempt(observation, transport.release(lease, response), trace.oneShareWasRefused());
    }

    /** The client's own timeouts end the exchange; this bound only catches a body that never ends. */
    private static HttpResponse<Void> awaitWithin(CompletableFuture<HttpResponse<Void>> exchange, Trace trace)
            throws InterruptedException, ExecutionException, TimeoutException {
        long left = CheckTransport.REQUEST_TIMEOUT.toNanos() - (System.nanoTime() - trace.startNanos());
        try {
            return exchange.get(Math.max(left, 0) + TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException gaveUp) {
            exchange.cancel(true);
            throw gaveUp;
        }
    }

    /** The response time is the got_first_resp_byte event: the moment the response headers arrived. */
    private Observation answered(int status, Trace trace) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - trace.startNanos());
        CheckResult result = status == 200 ? CheckResult.ok(type) : new CheckResult(type, StatusText.statusLine(status));
        Map<String, Duration> events = trace.sinceStart();
        return new Observation(result, OptionalInt.of(status), events.get(Trace.GOT_FIRST_RESPONSE_BYTE), elapsed, events,
                status == 200 ? null : "status_code_" + status);
    }

    private Observation failed(Failure failure, Trace trace) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - trace.startNanos());
        return new Observation(new CheckResult(type, failure.words()), OptionalInt.empty(), null, elapsed,
                trace.sinceStart(), failure.phase());
    }
}
