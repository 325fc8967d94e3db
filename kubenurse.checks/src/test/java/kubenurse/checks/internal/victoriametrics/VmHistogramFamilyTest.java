package kubenurse.checks.internal.victoriametrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import kubenurse.testing.Promtool;
import org.junit.jupiter.api.Test;

/**
 * The text exposition against the VictoriaMetrics/metrics library's own expected output (histogram_test.go:
 * TestHistogramSerial, TestHistogramWithTags; metrics_test.go for the metadata lines ExposeMetadata adds).
 */
class VmHistogramFamilyTest {

    private static String text(VmHistogramFamily family) {
        StringBuilder out = new StringBuilder();
        family.writeTo(out);
        return out.toString();
    }

    @Test
    void serialObservationsAsTheLibraryWritesThem() {
        VmHistogramFamily plain = new VmHistogramFamily("prefix", false);
        VmHistogramFamily labelled = new VmHistogramFamily("m", false, "foo");
        for (int i = 98; i < 218; i++) {
            plain.observe(i);
            labelled.observe(i, "bar");
        }
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
                """, text(plain));
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
                """, text(labelled));
    }

    /** As the library with ExposeMetadata(true): # HELP without text, and untyped (its Histogram.metricType()). */
    @Test
    void withExposeMetadataTheFamilyStartsWithHelpAndTypeUntyped() {
        VmHistogramFamily family = new VmHistogramFamily("d_seconds", true, "type");
        family.observe(0.0042, "me_service");
        family.observe(0.5, "me_ingress");
        assertEquals("""
                # HELP d_seconds
                # TYPE d_seconds untyped
                d_seconds_bucket{type="me_ingress",vmrange="4.642e-01...5.275e-01"} 1
                d_seconds_sum{type="me_ingress"} 0.5
                d_seconds_count{type="me_ingress"} 1
                d_seconds_bucket{type="me_service",vmrange="4.084e-03...4.642e-03"} 1
                d_seconds_sum{type="me_service"} 0.0042
                d_seconds_count{type="me_service"} 1
                """, text(family));
    }

    @Test
    void labelsInDeclaredOrderThenVmrange() {
        VmHistogramFamily family = new VmHistogramFamily("TestHistogram", false, "tag");
        family.observe(123, "foo");
        assertTrue(text(family).contains("TestHistogram_bucket{tag=\"foo\",vmrange=\"1.136e+02...1.292e+02\"} 1\n"),
                text(family));
    }

    @Test
    void aSumThatIsNotWholeIsWrittenAsGoWritesPercentG() {
        assertEquals("18900", VmHistogramFamily.goNumber(18900.0));
        assertEquals("0.123", VmHistogramFamily.goNumber(0.123));
        assertEquals("0.0001", VmHistogramFamily.goNumber(0.0001));
        assertEquals("1e-05", VmHistogramFamily.goNumber(0.00001));
        assertEquals("123456.5", VmHistogramFamily.goNumber(123456.5));
        assertEquals("1.2345675e+06", VmHistogramFamily.goNumber(1234567.5));
        assertEquals("1e+21", VmHistogramFamily.goNumber(1e21));
        VmHistogramFamily family = new VmHistogramFamily("d_seconds", false, "type");
        family.observe(0.0042, "me_service");
        assertTrue(text(family).contains("d_seconds_sum{type=\"me_service\"} 0.0042\n"), text(family));
    }

    @Test
    void nothingIsWrittenForAFamilyThatCountedNothing() {
        VmHistogramFamily family = new VmHistogramFamily("d_seconds", false, "type");
        assertEquals("", text(family));
        family.observe(Double.NaN, "me_service");
        assertEquals("", text(family));
    }

    @Test
    void forgetRemovesEverySeriesOfACheckType() {
        VmHistogramFamily family = new VmHistogramFamily("t_seconds", false, "type", "event");
        family.observe(0.01, "path_node-b", "dns_done");
        family.observe(0.02, "path_node-b", "got_first_resp_byte");
        family.observe(0.01, "me_service", "dns_done");
        family.forget("path_node-b");
        assertFalse(text(family).contains("path_node-b"), text(family));
        assertTrue(text(family).contains("t_seconds_count{type=\"me_service\",event=\"dns_done\"} 1\n"), text(family));
    }

    @Test
    void theNumberOfLabelValuesMustMatchTheLabelNames() {
        VmHistogramFamily family = new VmHistogramFamily("t_seconds", false, "type", "event");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> family.observe(1, "x"));
        assertTrue(wrong.getMessage().contains("[type, event]"), wrong.getMessage());
    }

    /**
     * Parsable with and without metadata; promtool's only remark is the one upstream's output draws too: no help
     * text (the library writes none, and untyped series are linted one by one). Skipped where promtool is missing.
     */
    @Test
    void promtoolParsesTheExposition() throws Exception {
        assumeTrue(Promtool.installed(), "promtool not installed: exposition format check skipped");
        String name = "kubenurse_httpclient_trace_request_duration_seconds";
        for (boolean exposeMetadata : new boolean[] {false, true}) {
            VmHistogramFamily family = new VmHistogramFamily(name, exposeMetadata, "type", "event");
            family.observe(0.0042, "me_service", "dns_done");
            family.observe(0, "me_service", "dns_start");
            family.observe(1.5, "path_node-\"b\"", "got_first_resp_byte");
            Promtool.Verdict verdict = Promtool.checkMetrics(text(family));
            assertTrue(verdict.cleanBut(List.of(name)), verdict + "\n" + text(family));
        }
    }
}
