package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kubenurse.testing.Promtool;
import org.junit.jupiter.api.Test;

/** Expected values are what Go's strconv.FormatFloat(v, 'g', -1, 64) gives, as client_golang's text writer uses. */
class GoBoundLabelsTest {

    private static String rewrite(String text, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GoBoundLabels goBounds = new GoBoundLabels(out);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            goBounds.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        goBounds.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String clientJavaText(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void numbersAsGoWritesThem() {
        assertEquals("1", GoBoundLabels.goFloat("1.0"));
        assertEquals("0.0005", GoBoundLabels.goFloat("5.0E-4"));
        assertEquals("0.005", GoBoundLabels.goFloat("0.005"));
        assertEquals("2.5", GoBoundLabels.goFloat("2.5"));
        assertEquals("10", GoBoundLabels.goFloat("10.0"));
        assertEquals("0.0001", GoBoundLabels.goFloat("1.0E-4"));
        assertEquals("1e-05", GoBoundLabels.goFloat("1.0E-5"));
        assertEquals("1.5e-07", GoBoundLabels.goFloat("1.5E-7"));
        assertEquals("123456.5", GoBoundLabels.goFloat("123456.5"));
        assertEquals("1e+06", GoBoundLabels.goFloat("1000000.0"));
        assertEquals("1.234567e+06", GoBoundLabels.goFloat("1234567.0"));
        assertEquals("1e+100", GoBoundLabels.goFloat("1.0E100"));
        assertEquals("0.1", GoBoundLabels.goFloat("0.1"));
        assertEquals("0.99", GoBoundLabels.goFloat("0.99"));
        assertEquals("-2.5", GoBoundLabels.goFloat("-2.5"));
        assertEquals("0", GoBoundLabels.goFloat("0.0"));
        assertEquals("0", GoBoundLabels.goFloat("-0.0"));
        assertEquals("+Inf", GoBoundLabels.goFloat("+Inf"));
        assertEquals("-Inf", GoBoundLabels.goFloat("-Inf"));
        assertEquals("NaN", GoBoundLabels.goFloat("NaN"));
        assertEquals("abc", GoBoundLabels.goFloat("abc"));
    }

    @Test
    void bucketBoundsOfClientJavaBecomeGos() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram histogram = Histogram.builder().name("d_seconds").help("Durations.").labelNames("type")
                .classicUpperBounds(0.0005, 1, 2.5).register(registry);
        histogram.labelValues("me_service").observe(0.7);
        String java = clientJavaText(registry);
        assertTrue(java.contains("d_seconds_bucket{type=\"me_service\",le=\"5.0E-4\"} 0\n"), java);
        String go = rewrite(java, 8192);
        assertEquals(java.replace("le=\"5.0E-4\"", "le=\"0.0005\"").replace("le=\"1.0\"", "le=\"1\""), go);
        assertTrue(go.contains("d_seconds_bucket{type=\"me_service\",le=\"0.0005\"} 0\n"), go);
        assertTrue(go.contains("d_seconds_bucket{type=\"me_service\",le=\"1\"} 1\n"), go);
        assertTrue(go.contains("d_seconds_bucket{type=\"me_service\",le=\"2.5\"} 1\n"), go);
        assertTrue(go.contains("d_seconds_bucket{type=\"me_service\",le=\"+Inf\"} 1\n"), go);
        assertEquals(go, rewrite(java, 1), "the same when every byte comes in a write of its own");
        assertEquals(go, rewrite(java, 7));
    }

    @Test
    void quantilesOfClientJavaBecomeGos() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Summary summary = Summary.builder().name("s_seconds").help("Summary.").quantile(0.5, 0.01)
                .quantile(0.99, 0.001).register(registry);
        summary.observe(1);
        String go = rewrite(clientJavaText(registry), 8192);
        assertTrue(go.contains("s_seconds{quantile=\"0.5\"} 1"), go);
        assertTrue(go.contains("s_seconds{quantile=\"0.99\"} 1"), go);
    }

    @Test
    void onlyLeAndQuantileLabelsAreRewritten() throws IOException {
        String text = """
                # HELP x_seconds A help that quotes {le="1.0"} and, le="5.0E-4".
                # TYPE x_seconds histogram
                x_seconds_bucket{path="a,le=\\"1.0\\"",le="1.0"} 1
                x_seconds_bucket{path="\\\\",le="5.0E-4"} 1
                x_seconds_bucket{sle="1.0",le="1.0",vmrange="1.000e+00...1.136e+00"} 1
                {"x.seconds_bucket","le"="1.0",le="1.0"} 1.0
                x_seconds_sum{le_not="1.0"} 1.0 1700000000000
                x_seconds_count 1.0
                """;
        assertEquals("""
                # HELP x_seconds A help that quotes {le="1.0"} and, le="5.0E-4".
                # TYPE x_seconds histogram
                x_seconds_bucket{path="a,le=\\"1.0\\"",le="1"} 1
                x_seconds_bucket{path="\\\\",le="0.0005"} 1
                x_seconds_bucket{sle="1.0",le="1",vmrange="1.000e+00...1.136e+00"} 1
                {"x.seconds_bucket","le"="1.0",le="1"} 1.0
                x_seconds_sum{le_not="1.0"} 1.0 1700000000000
                x_seconds_count 1.0
                """, rewrite(text, 5));
    }

    @Test
    void aBoundCutOffByTheEndIsPassedOnUnchanged() throws IOException {
        assertEquals("x_bucket{le=\"1.0", rewrite("x_bucket{le=\"1.0", 3));
        assertEquals("x_bucket{le=\"1.0\n", rewrite("x_bucket{le=\"1.0\n", 3));
    }

    @Test
    void utf8PassesThroughUnchanged() throws IOException {
        String text = "x_bucket{node=\"nœud-ü-日本\",le=\"1.0\"} 1\n";
        assertEquals("x_bucket{node=\"nœud-ü-日本\",le=\"1\"} 1\n", rewrite(text, 1));
    }

    /** Skipped, and reported so, where promtool is not installed. */
    @Test
    void promtoolAcceptsTheRewrittenText() throws Exception {
        assumeTrue(Promtool.installed(), "promtool not installed: exposition format check skipped");
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram.builder().name("d_seconds").help("Durations.").labelNames("type")
                .classicUpperBounds(0.0005, 1, 2.5).register(registry).labelValues("me_service").observe(0.7);
        Summary.builder().name("s_seconds").help("Summary.").quantile(0.5, 0.01).register(registry).observe(1);
        Promtool.Verdict verdict = Promtool.checkMetrics(rewrite(clientJavaText(registry), 8192));
        assertTrue(verdict.cleanBut(List.of()), verdict.toString());
    }
}
