package kubenurse.checks.internal;

import java.util.HashSet;
import java.util.Set;

/** Removes the metric series of check types no longer planned (a neighbour that left), so dashboards show current paths only. */
final class SeriesJanitor {

    private final CheckMetrics metrics;
    /** The types of the last plan; guarded by this. */
    private final Set<String> planned = new HashSet<>();

    SeriesJanitor(CheckMetrics metrics) {
        this.metrics = metrics;
    }

    synchronized void keepOnly(Set<String> types) {
        for (String type : planned) {
            if (!types.contains(type)) {
                metrics.forget(type);
            }
        }
        planned.clear();
        planned.addAll(types);
    }
}
