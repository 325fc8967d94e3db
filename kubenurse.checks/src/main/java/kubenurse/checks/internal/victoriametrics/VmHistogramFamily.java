package kubenurse.checks.internal.victoriametrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kubenurse.checks.VmHistogramCounts;

/**
 * A labelled VictoriaMetrics histogram ({@link VmHistogram}): its series by label values. client_java cannot hold
 * it (its model rejects a family named *_bucket and writes histogram buckets only with le), so the checks count it
 * here and hand its {@link VmHistogramCounts} to the server, which writes them after the registry's text.
 */
public final class VmHistogramFamily {

    private final String name;
    private final List<String> labelNames;
    private final Map<List<String>, VmHistogram> series = new ConcurrentHashMap<>();

    public VmHistogramFamily(String name, String... labelNames) {
        this.name = name;
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

    /** What was counted so far: the series that counted something, ordered by their label values. */
    public VmHistogramCounts counts() {
        List<VmHistogramCounts.Series> counted = new ArrayList<>();
        series.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Object::toString)))
                .forEach(entry -> {
                    List<VmHistogramCounts.Bucket> buckets = new ArrayList<>();
                    double sum = entry.getValue().visit((vmrange, count) ->
                            buckets.add(new VmHistogramCounts.Bucket(vmrange, count)));
                    if (!buckets.isEmpty()) {
                        counted.add(new VmHistogramCounts.Series(entry.getKey(), buckets, sum));
                    }
                });
        return new VmHistogramCounts(name, labelNames, counted);
    }
}
