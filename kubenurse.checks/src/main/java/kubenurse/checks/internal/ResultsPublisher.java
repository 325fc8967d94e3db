package kubenurse.checks.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.Verdict;
import kubenurse.checks.internal.http.Check;
import kubenurse.discovery.Neighbours;

/**
 * Keeps the {@link CheckResults} snapshot: the newest cycle decides which checks it shows and in which order,
 * each result replaces its own entry, and every change is a new snapshot swapped by reference, so readers
 * never wait. Where two checks share a type (the two pods of a surge rollout on one node), a failure of
 * either is shown. It holds the plan: each newer cycle's plan says which checks left ({@link Departures}), and
 * results and state changes are taken only for checks still planned.
 */
final class ResultsPublisher {

    private final AtomicReference<CheckResults> latest = new AtomicReference<>();
    /** Guards the fields below; held for a copy of the results, never while a check runs. */
    private final Object lock = new Object();
    private Cycle shownCycle;
    /** Discovery's snapshot the shown cycle was planned from. */
    private Neighbours snapshot = Neighbours.none();
    /** Type to the keys of its checks, in snapshot order. */
    private Map<String, List<String>> keysOfType = Map.of();
    private Map<String, Integer> slotOfType = Map.of();
    private final Map<String, CheckResult> byKey = new HashMap<>();
    private CheckResult[] shown = new CheckResult[0];
    private List<Check> planned = List.of();
    private Verdict verdict = Verdict.skipped();
    private final StateChangeLog stateChanges;

    /**
     * @param initial      the checks shown, all skipped, until the first cycle is planned
     * @param stateChanges told every result of a planned check, and to forget the checks that left
     */
    ResultsPublisher(List<Check> initial, StateChangeLog stateChanges) {
        this.stateChanges = stateChanges;
        synchronized (lock) {
            show(initial, Neighbours.none());
        }
    }

    CheckResults latest() {
        return latest.get();
    }

    /**
     * Shows the checks of {@code cycle}: checks no longer planned drop out, new ones show skipped until
     * their first result.
     *
     * @return the checks that left the plan with this cycle; empty, changing nothing, when a newer cycle is shown
     *         already
     */
    Optional<Departures> plan(Cycle cycle) {
        synchronized (lock) {
            if (shownCycle != null && cycle.startedBefore(shownCycle)) {
                return Optional.empty();
            }
            shownCycle = cycle;
            Departures departed = Departures.between(planned, cycle.checks());
            show(cycle.checks(), cycle.snapshot());
            stateChanges.forget(departed.keys());
            return Optional.of(departed);
        }
    }

    /** Shows {@code judged} beside the results from now on. */
    void verdict(Verdict judged) {
        synchronized (lock) {
            verdict = judged;
            CheckResults shownNow = latest.get();
            latest.set(new CheckResults(shownNow.results(), shownNow.neighbourhood(), shownNow.eligible(), judged));
        }
    }

    /** The checks the shown plan holds. */
    List<Check> planned() {
        synchronized (lock) {
            return planned;
        }
    }

    /** The checks of {@code checks} that the shown plan lacks. */
    List<Check> notPlanned(List<Check> checks) {
        synchronized (lock) {
            return checks.stream().filter(check -> !keysOfType.getOrDefault(check.type(), List.of()).contains(check.key()))
                    .toList();
        }
    }

    /** Shows a check's new result; that of a check no longer planned (a neighbour that left meanwhile) is dropped. */
    void publish(Check check, CheckResult result) {
        synchronized (lock) {
            List<String> keys = keysOfType.get(check.type());
            if (keys == null || !keys.contains(check.key())) {
                return;
            }
            byKey.put(check.key(), result);
            stateChanges.observe(check.key(), result);
            shown[slotOfType.get(check.type())] = merged(check.type(), keys);
            latest.set(new CheckResults(List.of(shown), snapshot.neighbours(), snapshot.eligible(), verdict));
        }
    }

    private void show(List<Check> checks, Neighbours planned) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (Check check : checks) {
            keys.computeIfAbsent(check.type(), type -> new ArrayList<>()).add(check.key());
        }
        Set<String> plannedKeys = new HashSet<>();
        keys.values().forEach(plannedKeys::addAll);
        byKey.keySet().retainAll(plannedKeys);
        Map<String, Integer> slots = new HashMap<>();
        CheckResult[] results = new CheckResult[keys.size()];
        for (Map.Entry<String, List<String>> type : keys.entrySet()) {
            int slot = slots.size();
            slots.put(type.getKey(), slot);
            results[slot] = merged(type.getKey(), type.getValue());
        }
        keysOfType = keys;
        this.planned = List.copyOf(checks);
        slotOfType = slots;
        shown = results;
        snapshot = planned;
        latest.set(new CheckResults(List.of(results), planned.neighbours(), planned.eligible(), verdict));
    }

    private CheckResult merged(String type, List<String> keys) {
        CheckResult merged = null;
        for (String key : keys) {
            CheckResult last = byKey.getOrDefault(key, CheckResult.skipped(type));
            merged = merged == null ? last : worse(merged, last);
        }
        return merged;
    }

    /** Of two results of one type: a failure before ok, ok before skipped (not run yet). */
    private static CheckResult worse(CheckResult a, CheckResult b) {
        if (!a.isOk() && !a.isSkipped()) {
            return a;
        }
        if (!b.isOk() && !b.isSkipped()) {
            return b;
        }
        return a.isOk() ? a : b;
    }
}
