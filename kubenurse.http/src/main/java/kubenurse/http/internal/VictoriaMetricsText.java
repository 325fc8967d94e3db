package kubenurse.http.internal;

import java.util.List;
import kubenurse.checks.VmHistogramCounts;

/**
 * VictoriaMetrics histograms in Prometheus text, as the VictoriaMetrics/metrics library writes them (upstream's
 * output with KUBENURSE_VICTORIAMETRICS_HISTOGRAM). Per series: {@code name_bucket{labels,vmrange="..."} count} for
 * each non-empty bucket, then {@code name_sum{labels}} (an integer when whole, else Go's %g) and
 * {@code name_count{labels}}, the buckets' total. A family that counted nothing is not written.
 *
 * <p>Metadata as the library writes it: none by default; with KUBENURSE_EXPOSE_METADATA (the library's
 * ExposeMetadata) {@code # HELP name} without text and {@code # TYPE name untyped}. The library says untyped, not
 * histogram, since its pull request #119 (closing issue #82): a histogram without le buckets breaks parsers that
 * hold Prometheus' histogram model, such as the OpenTelemetry Collector's, for the whole scrape.
 *
 * @param exposeMetadata KUBENURSE_EXPOSE_METADATA: # HELP and # TYPE lines before each family
 */
record VictoriaMetricsText(boolean exposeMetadata) {

    /** The families in order; empty when none counted anything. */
    String write(List<VmHistogramCounts> families) {
        StringBuilder out = new StringBuilder();
        for (VmHistogramCounts family : families) {
            if (family.series().isEmpty()) {
                continue;
            }
            if (exposeMetadata) {
                out.append("# HELP ").append(family.name()).append('\n');
                out.append("# TYPE ").append(family.name()).append(" untyped\n");
            }
            for (VmHistogramCounts.Series series : family.series()) {
                writeSeries(out, family, series);
            }
        }
        return out.toString();
    }

    private static void writeSeries(StringBuilder out, VmHistogramCounts family, VmHistogramCounts.Series series) {
        String labels = labels(family.labelNames(), series.labelValues());
        String bucketLabels = labels.isEmpty() ? "{vmrange=\"" : "{" + labels + ",vmrange=\"";
        for (VmHistogramCounts.Bucket bucket : series.buckets()) {
            out.append(family.name()).append("_bucket").append(bucketLabels).append(bucket.vmrange()).append("\"} ")
                    .append(bucket.count()).append('\n');
        }
        String seriesLabels = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(family.name()).append("_sum").append(seriesLabels).append(' ').append(goNumber(series.sum()))
                .append('\n');
        out.append(family.name()).append("_count").append(seriesLabels).append(' ').append(series.count()).append('\n');
    }

    private static String labels(List<String> names, List<String> values) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                labels.append(',');
            }
            labels.append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
        }
        return labels.toString();
    }

    /** The text format's label value escapes: backslash, double quote, line feed. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * The library writes a whole sum as an integer and any other with Go's %g: the shortest digits that read
     * back as the same double, in exponent form when the decimal exponent is below -4 or at least 6.
     */
    static String goNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 0x1p63) {
            return Long.toString((long) value);
        }
        return GoBoundLabels.goFloat(value);
    }
}
