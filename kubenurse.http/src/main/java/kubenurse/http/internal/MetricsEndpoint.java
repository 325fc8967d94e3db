package kubenurse.http.internal;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import kubenurse.checks.VmHistogramCounts;

/**
 * /metrics: the registry in the format the scraper's Accept header asks for (Prometheus text, OpenMetrics,
 * or protobuf, which carries native histograms), gzip-compressed when the scraper accepts it. The metrics
 * outside the registry (VictoriaMetrics histograms, {@link VictoriaMetricsText}) follow the registry's; while there are any, the answer is
 * Prometheus text whatever was asked, since the other formats cannot carry them. In Prometheus text, le and
 * quantile values are written as Go's client_golang writes them ({@link GoBoundLabels}), so that bucket series
 * are the same as upstream's; OpenMetrics keeps its own canonical form.
 */
final class MetricsEndpoint {

    private final PrometheusRegistry registry;
    private final Supplier<List<VmHistogramCounts>> victoriaMetrics;
    private final VictoriaMetricsText victoriaMetricsText;
    private final ExpositionFormats formats = ExpositionFormats.init();

    MetricsEndpoint(PrometheusRegistry registry, Supplier<List<VmHistogramCounts>> victoriaMetrics,
            VictoriaMetricsText victoriaMetricsText) {
        this.registry = registry;
        this.victoriaMetrics = victoriaMetrics;
        this.victoriaMetricsText = victoriaMetricsText;
    }

    void handle(HttpExchange exchange) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String text = victoriaMetricsText.write(victoriaMetrics.get());
        ExpositionFormatWriter writer = text.isEmpty() ? formats.findWriter(accept)
                : formats.getPrometheusTextFormatWriter();
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        boolean gzip = acceptsGzip(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
        try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
            if (writer instanceof PrometheusTextFormatWriter) {
                GoBoundLabels goBounds = new GoBoundLabels(out);
                writer.write(goBounds, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
                goBounds.finish();
            } else {
                writer.write(out, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        Router.send(exchange, 200, writer.getContentType(), body.toByteArray());
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return parts.length == 1 || !parts[1].trim().replace(" ", "").equals("q=0");
            }
        }
        return false;
    }
}
