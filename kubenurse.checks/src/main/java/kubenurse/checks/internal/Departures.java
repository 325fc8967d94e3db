package kubenurse.checks.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import kubenurse.checks.internal.http.Check;

/**
 * The checks that left the plan between two cycles (a neighbour that went, a pod replaced by one with another
 * address), computed once per cycle: everything that keeps something per check forgets it from this, and only
 * from this.
 *
 * @param keys  the keys of the checks no longer planned
 * @param types the check types no longer planned at all (a type stays while another check of it is planned,
 *              as the two pods of a surge rollout on one node share one)
 */
record Departures(Set<String> keys, Set<String> types) {

    static final Departures NONE = new Departures(Set.of(), Set.of());

    Departures {
        keys = Set.copyOf(keys);
        types = Set.copyOf(types);
    }

    /** What was planned {@code before} and is not {@code after}. */
    static Departures between(List<Check> before, List<Check> after) {
        Set<String> keys = before.stream().map(Check::key).collect(Collectors.toCollection(HashSet::new));
        Set<String> types = before.stream().map(Check::type).collect(Collectors.toCollection(HashSet::new));
        after.forEach(check -> {
            keys.remove(check.key());
            types.remove(check.type());
        });
        return keys.isEmpty() && types.isEmpty() ? NONE : new Departures(keys, types);
    }

    boolean isEmpty() {
        return keys.isEmpty() && types.isEmpty();
    }
}
