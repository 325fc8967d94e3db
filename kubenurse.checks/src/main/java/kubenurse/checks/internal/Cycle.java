package kubenurse.checks.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kubenurse.checks.internal.http.Check;
import kubenurse.discovery.Neighbours;

/**
 * One round of every planned check: discovery's snapshot it was planned from (taken once, so that the cycle's
 * results and the neighbourhood shown beside them are of one moment), its checks, when it started, and a future
 * that completes when each of its checks has a result (or stood in for by a run still going).
 */
record Cycle(long startedNanos, Neighbours snapshot, List<Check> checks, CompletableFuture<Void> done) {

    Cycle {
        checks = List.copyOf(checks);
    }

    /** A new cycle, starting now, of the checks {@code checks} planned from {@code snapshot}. */
    static Cycle startingNow(Neighbours snapshot, List<Check> checks) {
        return new Cycle(System.nanoTime(), snapshot, checks, new CompletableFuture<>());
    }

    boolean startedBefore(Cycle other) {
        return startedNanos - other.startedNanos < 0;
    }
}
