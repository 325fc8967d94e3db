package kubenurse.checks.internal.victoriametrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Expected values are those of the VictoriaMetrics/metrics library's own tests (histogram_test.go:
 * TestGetVMRange, TestHistogramConcurrent), so our buckets and labels are the library's, not our reading of it.
 */
class VmHistogramTest {

    private static List<String> buckets(VmHistogram histogram) {
        List<String> buckets = new ArrayList<>();
        histogram.visit((vmrange, count) -> buckets.add(vmrange + " " + count));
        return buckets;
    }

    @Test
    void bucketRangesAreTheLibrarys() {
        assertEquals(486, VmHistogram.BUCKETS, "18 per decade from 1e-9 to 1e18");
        assertEquals("1.000e-09...1.136e-09", VmHistogram.range(0));
        assertEquals("1.136e-09...1.292e-09", VmHistogram.range(1));
        assertEquals("8.799e-09...1.000e-08", VmHistogram.range(18 - 1));
        assertEquals("1.000e-08...1.136e-08", VmHistogram.range(18));
        assertEquals("8.799e-01...1.000e+00", VmHistogram.range(18 * 9 - 1));
        assertEquals("1.000e+00...1.136e+00", VmHistogram.range(18 * 9));
        assertEquals("8.799e+17...1.000e+18", VmHistogram.range(18 * 27 - 1));
    }

    @Test
    void eachRangeStartsWhereThePreviousEnds() {
        for (int i = 1; i < VmHistogram.BUCKETS; i++) {
            String previousEnd = VmHistogram.range(i - 1).split("\\.\\.\\.")[1];
            assertEquals(previousEnd, VmHistogram.range(i).split("\\.\\.\\.")[0], "bucket " + i);
        }
    }

    @Test
    void concurrentObservationsAreAllCountedInTheLibrarysBuckets() throws Exception {
        VmHistogram histogram = new VmHistogram();
        try (ExecutorService workers = Executors.newFixedThreadPool(5)) {
            List<Future<?>> done = new ArrayList<>();
            for (int worker = 0; worker < 5; worker++) {
                done.add(workers.submit(() -> {
                    for (double f = 0.6; f < 1.4; f += 0.1) {
                        histogram.observe(f);
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        }
        assertEquals(List.of(
                "5.995e-01...6.813e-01 5",
                "6.813e-01...7.743e-01 5",
                "7.743e-01...8.799e-01 5",
                "8.799e-01...1.000e+00 10",
                "1.000e+00...1.136e+00 5",
                "1.136e+00...1.292e+00 5",
                "1.292e+00...1.468e+00 5"), buckets(histogram));
        assertEquals(38, histogram.visit((vmrange, count) -> { }), 1e-9);
    }

    @Test
    void aValueOnABucketsEndIsCountedInThatBucket() {
        VmHistogram histogram = new VmHistogram();
        histogram.observe(1.0);
        histogram.observe(100);
        assertEquals(List.of("8.799e-01...1.000e+00 1", "8.799e+01...1.000e+02 1"), buckets(histogram));
    }

    @Test
    void zeroAndTinyValuesGoBelowInfinityAboveAndNegativeOrNanNowhere() {
        VmHistogram histogram = new VmHistogram();
        histogram.observe(0);
        histogram.observe(1e-10);
        histogram.observe(Double.POSITIVE_INFINITY);
        histogram.observe(-1);
        histogram.observe(Double.NaN);
        histogram.observe(Double.NEGATIVE_INFINITY);
        assertEquals(List.of("0...1.000e-09 2", "1.000e+18...+Inf 1"), buckets(histogram));
    }

    @Test
    void boundsArePrintedAsGoPrintsThreeDecimalsInExponentForm() {
        assertEquals("1.000e-09", VmHistogram.e3(1e-9));
        assertEquals("1.136e+02", VmHistogram.e3(113.6));
        assertEquals("9.999e+05", VmHistogram.e3(999_940));
        assertEquals("1.000e+06", VmHistogram.e3(999_960));
        assertEquals("1.000e+18", VmHistogram.e3(1e18));
    }
}
