package kubenurse.checks.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kubenurse.checks.internal.http.Check;
import kubenurse.discovery.Neighbours;

/**
 * One round of the planned checks: discovery's snapshot it was planned from (taken once, so that the cycle's
 * results and the neighbourhood shown beside them are of one moment), every check planned, those it starts (all
 * of them, or only the ones a new snapshot added), when it started, and a future that completes when each
 * started check has a result (or stood in for by a run still going).
 */
record Cycle(long startedNanos, Neighbours snapshot, List<Check> checks, List<Check> starting,
        CompletableFuture<Void> done) {

    Cycle {
        checks = List.copyOf(checks);
        starting = List.copyOf(starting);
    }

    /** A new cycle, starting now, of the checks {@code checks} planned from {@code snapshot}. */
    static Cycle startingNow(Neighbours snapshot, List<Check> checks) {
        return new Cycle(System.nanoTime(), snapshot, checks, checks, new CompletableFuture<>());
    }

    /** A cycle, starting now, that plans {@code checks} but starts only {@code added}, which were not planned before. */
    static Cycle addingNow(Neighbours snapshot, List<Check> checks, List<Check> added) {
        return new Cycle(System.nanoTime(), snapshot, checks, added, new CompletableFuture<>());
    }

    boolean startedBefore(Cycle other) {
        return startedNanos - other.startedNanos < 0;
    }
}
