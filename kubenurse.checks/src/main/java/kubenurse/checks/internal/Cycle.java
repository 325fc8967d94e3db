package kubenurse.checks.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import kubenurse.discovery.Neighbour;

/**
 * One round of every planned check: the neighbours and checks it was planned for, when it started, and a
 * future that completes when each of its checks has a result (or stood in for by a run still going).
 */
record Cycle(long startedNanos, List<Neighbour> neighbours, List<Check> checks, CompletableFuture<Void> done) {

    Cycle {
        neighbours = List.copyOf(neighbours);
        checks = List.copyOf(checks);
    }

    /** A new cycle, starting now, of the checks {@code checks} for {@code neighbours}. */
    static Cycle startingNow(List<Neighbour> neighbours, List<Check> checks) {
        return new Cycle(System.nanoTime(), neighbours, checks, new CompletableFuture<>());
    }

    boolean startedBefore(Cycle other) {
        return startedNanos - other.startedNanos < 0;
    }
}
