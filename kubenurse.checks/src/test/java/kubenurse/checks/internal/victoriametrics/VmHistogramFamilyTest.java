package kubenurse.checks.internal.victoriametrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import kubenurse.checks.VmHistogramCounts;
import kubenurse.checks.VmHistogramCounts.Bucket;
import kubenurse.checks.VmHistogramCounts.Series;
import org.junit.jupiter.api.Test;

/**
 * The counts against the VictoriaMetrics/metrics library's own expected output (histogram_test.go:
 * TestHistogramSerial, TestHistogramWithTags); the server's VictoriaMetricsTextTest writes these same counts as the
 * library's text.
 */
class VmHistogramFamilyTest {

    /** TestHistogramSerial's buckets for the observations 98 to 217. */
    static final List<Bucket> SERIAL = List.of(new Bucket("8.799e+01...1.000e+02", 3),
            new Bucket("1.000e+02...1.136e+02", 13), new Bucket("1.136e+02...1.292e+02", 16),
            new Bucket("1.292e+02...1.468e+02", 17), new Bucket("1.468e+02...1.668e+02", 20),
            new Bucket("1.668e+02...1.896e+02", 23), new Bucket("1.896e+02...2.154e+02", 26),
            new Bucket("2.154e+02...2.448e+02", 2));

    @Test
    void serialObservationsInTheLibrarysBuckets() {
        VmHistogramFamily plain = new VmHistogramFamily("prefix");
        VmHistogramFamily labelled = new VmHistogramFamily("m", "foo");
        for (int i = 98; i < 218; i++) {
            plain.observe(i);
            labelled.observe(i, "bar");
        }
        assertEquals(new VmHistogramCounts("prefix", List.of(), List.of(new Series(List.of(), SERIAL, 18900))),
                plain.counts());
        assertEquals(new VmHistogramCounts("m", List.of("foo"), List.of(new Series(List.of("bar"), SERIAL, 18900))),
                labelled.counts());
        assertEquals(120, plain.counts().series().getFirst().count());
    }

    @Test
    void seriesInTheOrderOfTheirLabelValues() {
        VmHistogramFamily family = new VmHistogramFamily("d_seconds", "type");
        family.observe(0.0042, "me_service");
        family.observe(0.5, "me_ingress");
        assertEquals(List.of(new Series(List.of("me_ingress"), List.of(new Bucket("4.642e-01...5.275e-01", 1)), 0.5),
                new Series(List.of("me_service"), List.of(new Bucket("4.084e-03...4.642e-03", 1)), 0.0042)),
                family.counts().series());
    }

    @Test
    void aSeriesThatCountedNothingIsLeftOut() {
        VmHistogramFamily family = new VmHistogramFamily("d_seconds", "type");
        assertEquals(List.of(), family.counts().series());
        family.observe(Double.NaN, "me_service");
        family.observe(-1, "me_service");
        assertEquals(List.of(), family.counts().series(), "NaN and negative observations are ignored, as the library does");
    }

    @Test
    void forgetRemovesEverySeriesOfACheckType() {
        VmHistogramFamily family = new VmHistogramFamily("t_seconds", "type", "event");
        family.observe(0.01, "path_node-b", "dns_done");
        family.observe(0.02, "path_node-b", "got_first_resp_byte");
        family.observe(0.01, "me_service", "dns_done");
        family.forget("path_node-b");
        assertEquals(List.of(List.of("me_service", "dns_done")),
                family.counts().series().stream().map(Series::labelValues).toList());
    }

    @Test
    void theNumberOfLabelValuesMustMatchTheLabelNames() {
        VmHistogramFamily family = new VmHistogramFamily("t_seconds", "type", "event");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> family.observe(1, "x"));
        assertTrue(wrong.getMessage().contains("[type, event]"), wrong.getMessage());
    }
}
