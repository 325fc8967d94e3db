package kubenurse.checks.internal;

import io.prometheus.metrics.core.metrics.Histogram;
import kubenurse.checks.internal.victoriametrics.VmHistogramFamily;

/**
 * A labelled duration histogram, in client_java's classic buckets or in VictoriaMetrics' (KUBENURSE_VICTORIAMETRICS_HISTOGRAM):
 * the check metrics record through this, whichever the configuration chose.
 */
interface DurationHistogram {

    /** Records {@code seconds} in the series of these label values, in the order of the label names. */
    void observe(double seconds, String... labelValues);

    /** Removes every series whose first label, the check type, is {@code type}. */
    void forget(String type);

    static DurationHistogram classic(Histogram histogram) {
        return new DurationHistogram() {
            @Override
            public void observe(double seconds, String... labelValues) {
                histogram.labelValues(labelValues).observe(seconds);
            }

            @Override
            public void forget(String type) {
                histogram.removeIf(labels -> labels.getFirst().equals(type));
            }
        };
    }

    static DurationHistogram victoriaMetrics(VmHistogramFamily family) {
        return new DurationHistogram() {
            @Override
            public void observe(double seconds, String... labelValues) {
                family.observe(seconds, labelValues);
            }

            @Override
            public void forget(String type) {
                family.forget(type);
            }
        };
    }
}
