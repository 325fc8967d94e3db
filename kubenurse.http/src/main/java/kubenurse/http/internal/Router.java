package kubenurse.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import kubenurse.checks.CheckResults;
import kubenurse.config.LogValue;
import kubenurse.http.Endpoints;
import kubenurse.http.IncomingChecks;

/** Dispatches the five routes; anything else is 404, any method but GET and HEAD is 405. */
final class Router implements HttpHandler {

    private static final Logger LOG = System.getLogger("kubenurse.http");
    private static final byte[] NONE = new byte[0];

    private final Endpoints endpoints;
    private final MetricsEndpoint metrics;

    Router(Endpoints endpoints) {
        this.endpoints = endpoints;
        this.metrics = new MetricsEndpoint(endpoints.registry(), endpoints.victoriaMetrics(),
                new VictoriaMetricsText(endpoints.exposeMetadata()));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // no client may read a response as another type than it is declared (/alive echoes request headers)
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            // the server closes the connection when asked; saying so lets the client close its end at once
            // instead of pooling a connection that is about to close (RFC 9112 9.6: a server SHOULD say it)
            if (asksToClose(exchange)) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes());
                return;
            }
            switch (exchange.getRequestURI().getRawPath()) {
                case "/" -> {
                    exchange.getResponseHeaders().set("Location", "/alive");
                    send(exchange, 301, "text/plain; charset=utf-8", NONE);
                }
                case "/alive" -> alive(exchange);
                case "/alwayshappy" -> {
                    endpoints.incoming().record(exchange.getRequestHeaders().getFirst(IncomingChecks.ORIGIN_HEADER));
                    send(exchange, 200, null, NONE);
                }
                case "/ready" -> {
                    boolean ready = endpoints.ready().getAsBoolean();
                    send(exchange, ready ? 200 : 503, "text/plain; charset=utf-8",
                            (ready ? "ready\n" : "not ready\n").getBytes());
                }
                case "/metrics" -> metrics.handle(exchange);
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes());
            }
        } catch (IOException | RuntimeException failed) {
            LOG.log(Level.DEBUG, "event=request_failed path=" + LogValue.quote(exchange.getRequestURI().getRawPath())
                    + " error=" + LogValue.quote(failed));
            throw failed;
        }
    }

    /** True when a Connection header of the request lists the close option (names are case-insensitive). */
    static boolean asksToClose(HttpExchange exchange) {
        return exchange.getRequestHeaders().getOrDefault("Connection", java.util.List.of()).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .anyMatch(option -> option.strip().equalsIgnoreCase("close"));
    }

    private void alive(HttpExchange exchange) throws IOException {
        CheckResults results = endpoints.aliveResults().get();
        byte[] body = AliveJson.render(endpoints.hostname(), results, endpoints.discovery().get(),
                endpoints.udp().get(), exchange)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        send(exchange, results.healthy() ? 200 : 500, "application/json", body);
    }

    /** Sends a complete response; HEAD gets the headers only. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
