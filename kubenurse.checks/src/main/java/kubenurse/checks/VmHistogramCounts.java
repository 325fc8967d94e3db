package kubenurse.checks;

import java.util.List;
import java.util.Objects;

/**
 * A VictoriaMetrics histogram family as the checks counted it (KUBENURSE_VICTORIAMETRICS_HISTOGRAM, upstream's
 * format): for each series that counted something, its non-empty buckets, lowest first, each with its own count (not
 * cumulative), and the sum of what was observed. What /metrics writes of it is the server's business.
 *
 * @param name       the family's name, e.g. kubenurse_httpclient_request_duration_seconds
 * @param labelNames the labels of every series, in order; vmrange comes after them
 * @param series     in the order of their label values
 */
public record VmHistogramCounts(String name, List<String> labelNames, List<Series> series) {

    public VmHistogramCounts {
        Objects.requireNonNull(name, "name");
        labelNames = List.copyOf(labelNames);
        series = List.copyOf(series);
    }

    /**
     * @param labelValues one per label name
     * @param buckets     never empty
     * @param sum         of the observations counted
     */
    public record Series(List<String> labelValues, List<Bucket> buckets, double sum) {

        public Series {
            labelValues = List.copyOf(labelValues);
            buckets = List.copyOf(buckets);
        }

        /** The observations counted: the buckets' total. */
        public long count() {
            return buckets.stream().mapToLong(Bucket::count).sum();
        }
    }

    /** @param vmrange "start...end", both bounds as Go's %.3e */
    public record Bucket(String vmrange, long count) {
    }
}
