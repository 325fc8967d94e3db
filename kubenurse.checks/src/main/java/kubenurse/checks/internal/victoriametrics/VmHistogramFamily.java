package kubenurse.checks.internal.victoriametrics;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A labelled VictoriaMetrics histogram ({@link VmHistogram}) and its text exposition. client_java cannot hold it:
 * its model rejects a family named *_bucket and writes histogram buckets only with le, so /metrics appends this
 * text after the registry's (Checker#victoriaMetricsHistograms).
 *
 * <p>Per series, as the VictoriaMetrics/metrics library writes it: {@code name_bucket{labels,vmrange="..."} count}
 * for each non-empty bucket, then {@code name_sum{labels}} (an integer when whole, else Go's %g) and
 * {@code name_count{labels}}, the buckets' total. A series that counted nothing is not written.
 *
 * <p>Metadata as the library writes it: none by default; with KUBENURSE_EXPOSE_METADATA (the library's
 * ExposeMetadata) {@code # HELP name} without text and {@code # TYPE name untyped}. The library says untyped, not
 * histogram, since its pull request #119 (closing issue #82): a histogram without le buckets breaks parsers that
 * hold Prometheus' histogram model, such as the OpenTelemetry Collector's, for the whole scrape.
 */
public final class VmHistogramFamily {

    private final String name;
    private final boolean exposeMetadata;
    private final List<String> labelNames;
    private final Map<List<String>, VmHistogram> series = new ConcurrentHashMap<>();

    /** @param exposeMetadata KUBENURSE_EXPOSE_METADATA: write # HELP and # TYPE lines before the family */
    public VmHistogramFamily(String name, boolean exposeMetadata, String... labelNames) {
        this.name = name;
        this.exposeMetadata = exposeMetadata;
        this.labelNames = List.of(labelNames);
    }

    /** Records {@code seconds} in the series of these label values, in the order of the label names. */
    public void observe(double seconds, String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + ", got " + labelValues.length
                    + " values: " + List.of(labelValues));
        }
        series.computeIfAbsent(List.of(labelValues), values -> new VmHistogram()).observe(seconds);
    }

    /** Removes every series whose first label is {@code type}. */
    public void forget(String type) {
        series.keySet().removeIf(values -> !values.isEmpty() && values.getFirst().equals(type));
    }

    /** Appends the family in Prometheus text format; nothing when no series counted anything. */
    public void writeTo(StringBuilder out) {
        StringBuilder family = new StringBuilder();
        series.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Object::toString)))
                .forEach(entry -> writeSeries(family, labels(entry.getKey()), entry.getValue()));
        if (!family.isEmpty()) {
            if (exposeMetadata) {
                out.append("# HELP ").append(name).append('\n');
                out.append("# TYPE ").append(name).append(" untyped\n");
            }
            out.append(family);
        }
    }

    private void writeSeries(StringBuilder out, String labels, VmHistogram histogram) {
        long[] count = {0};
        String bucketLabels = labels.isEmpty() ? "{vmrange=\"" : "{" + labels + ",vmrange=\"";
        double sum = histogram.visit((vmrange, bucketCount) -> {
            out.append(name).append("_bucket").append(bucketLabels).append(vmrange).append("\"} ")
                    .append(bucketCount).append('\n');
            count[0] += bucketCount;
        });
        if (count[0] > 0) {
            String seriesLabels = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(seriesLabels).append(' ').append(goNumber(sum)).append('\n');
            out.append(name).append("_count").append(seriesLabels).append(' ').append(count[0]).append('\n');
        }
    }

    private String labels(List<String> values) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                labels.append(',');
            }
            labels.append(labelNames.get(i)).append("=\"").append(escape(values.get(i))).append('"');
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
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - shortest.scale() - 1;
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        return sign + shortest.abs().toPlainString();
    }
}
