package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import kubenurse.checks.VmHistogramCounts;
import kubenurse.checks.VmHistogramCounts.Bucket;
import kubenurse.checks.VmHistogramCounts.Series;
import kubenurse.testing.Promtool;
import org.junit.jupiter.api.Test;

/**
 * The text against the VictoriaMetrics/metrics library's own expected output (histogram_test.go:
 * TestHistogramSerial, TestHistogramWithTags; metrics_test.go for the metadata lines ExposeMetadata adds); the
 * checks' VmHistogramFamilyTest counts those same buckets from the library's observations.
 */
class VictoriaMetricsTextTest {

    private static final List<Bucket> SERIAL = List.of(new Bucket("8.799e+01...1.000e+02", 3),
            new Bucket("1.000e+02...1.136e+02", 13), new Bucket("1.136e+02...1.292e+02", 16),
            new Bucket("1.292e+02...1.468e+02", 17), new Bucket("1.468e+02...1.668e+02", 20),
            new Bucket("1.668e+02...1.896e+02", 23), new Bucket("1.896e+02...2.154e+02", 26),
            new Bucket("2.154e+02...2.448e+02", 2));
    private static final VictoriaMetricsText PLAIN = new VictoriaMetricsText(false);

    private static VmHistogramCounts one(String name, List<String> labelNames, Series... series) {
        return new VmHistogramCounts(name, labelNames, List.of(series));
    }

    private static Series series(double sum, String vmrange, String... labelValues) {
        return new Series(List.of(labelValues), List.of(new Bucket(vmrange, 1)), sum);
    }

    @Test
    void serialObservationsAsTheLibraryWritesThem() {
        assertEquals("""
                prefix_bucket{vmrange="8.799e+01...1.000e+02"} 3
                prefix_bucket{vmrange="1.000e+02...1.136e+02"} 13
                prefix_bucket{vmrange="1.136e+02...1.292e+02"} 16
                prefix_bucket{vmrange="1.292e+02...1.468e+02"} 17
                prefix_bucket{vmrange="1.468e+02...1.668e+02"} 20
                prefix_bucket{vmrange="1.668e+02...1.896e+02"} 23
                prefix_bucket{vmrange="1.896e+02...2.154e+02"} 26
                prefix_bucket{vmrange="2.154e+02...2.448e+02"} 2
                prefix_sum 18900
                prefix_count 120
                """, PLAIN.write(List.of(one("prefix", List.of(), new Series(List.of(), SERIAL, 18900)))));
        assertEquals("""
                m_bucket{foo="bar",vmrange="8.799e+01...1.000e+02"} 3
                m_bucket{foo="bar",vmrange="1.000e+02...1.136e+02"} 13
                m_bucket{foo="bar",vmrange="1.136e+02...1.292e+02"} 16
                m_bucket{foo="bar",vmrange="1.292e+02...1.468e+02"} 17
                m_bucket{foo="bar",vmrange="1.468e+02...1.668e+02"} 20
                m_bucket{foo="bar",vmrange="1.668e+02...1.896e+02"} 23
                m_bucket{foo="bar",vmrange="1.896e+02...2.154e+02"} 26
                m_bucket{foo="bar",vmrange="2.154e+02...2.448e+02"} 2
                m_sum{foo="bar"} 18900
                m_count{foo="bar"} 120
                """, PLAIN.write(List.of(one("m", List.of("foo"), new Series(List.of("bar"), SERIAL, 18900)))));
    }

    /** As the library with ExposeMetadata(true): # HELP without text, and untyped (its Histogram.metricType()). */
    @Test
    void withExposeMetadataAFamilyStartsWithHelpAndTypeUntyped() {
        VmHistogramCounts family = one("d_seconds", List.of("type"),
                series(0.5, "4.642e-01...5.275e-01", "me_ingress"), series(0.0042, "4.084e-03...4.642e-03", "me_service"));
        assertEquals("""
                # HELP d_seconds
                # TYPE d_seconds untyped
                d_seconds_bucket{type="me_ingress",vmrange="4.642e-01...5.275e-01"} 1
                d_seconds_sum{type="me_ingress"} 0.5
                d_seconds_count{type="me_ingress"} 1
                d_seconds_bucket{type="me_service",vmrange="4.084e-03...4.642e-03"} 1
                d_seconds_sum{type="me_service"} 0.0042
                d_seconds_count{type="me_service"} 1
                """, new VictoriaMetricsText(true).write(List.of(family)));
    }

    @Test
    void labelsInDeclaredOrderThenVmrangeAndValuesEscaped() {
        String text = PLAIN.write(List.of(one("t", List.of("tag", "event"), series(123, "1.136e+02...1.292e+02",
                "fo\"o\\", "a\nb"))));
        assertTrue(text.contains("t_bucket{tag=\"fo\\\"o\\\\\",event=\"a\\nb\",vmrange=\"1.136e+02...1.292e+02\"} 1\n"),
                text);
    }

    @Test
    void aSumThatIsNotWholeIsWrittenAsGoWritesPercentG() {
        assertEquals("18900", VictoriaMetricsText.goNumber(18900.0));
        assertEquals("0.123", VictoriaMetricsText.goNumber(0.123));
        assertEquals("0.0001", VictoriaMetricsText.goNumber(0.0001));
        assertEquals("1e-05", VictoriaMetricsText.goNumber(0.00001));
        assertEquals("123456.5", VictoriaMetricsText.goNumber(123456.5));
        assertEquals("1.2345675e+06", VictoriaMetricsText.goNumber(1234567.5));
        assertEquals("1e+21", VictoriaMetricsText.goNumber(1e21));
    }

    @Test
    void nothingIsWrittenForAFamilyThatCountedNothingNotEvenItsMetadata() {
        assertEquals("", new VictoriaMetricsText(true).write(List.of(one("d_seconds", List.of("type")))));
        assertEquals("", PLAIN.write(List.of()));
    }

    /**
     * Parsable with and without metadata; promtool's only remark is the one upstream's output draws too: no help
     * text (the library writes none, and untyped series are linted one by one).
     */
    @Test
    void promtoolParsesTheExposition() throws Exception {
        assumeTrue(Promtool.installed(), "promtool not installed: exposition format check skipped");
        String name = "kubenurse_httpclient_trace_request_duration_seconds";
        VmHistogramCounts family = one(name, List.of("type", "event"),
                series(0.0042, "4.084e-03...4.642e-03", "me_service", "dns_done"),
                new Series(List.of("me_service", "dns_start"), List.of(new Bucket("0...1.000e-09", 1)), 0),
                series(1.5, "1.468e+00...1.668e+00", "path_node-\"b\"", "got_first_resp_byte"));
        for (boolean exposeMetadata : new boolean[] {false, true}) {
            String text = new VictoriaMetricsText(exposeMetadata).write(List.of(family));
            Promtool.Verdict verdict = Promtool.checkMetrics(text);
            assertTrue(verdict.cleanBut(List.of(name)), verdict + "\n" + text);
        }
    }
}
