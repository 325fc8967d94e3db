package kubenurse.checks.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The current cycle and /alive's rule for reusing it: a caller gets the cycle that started within the age
 * asked, or starts the next one; concurrent callers agree on one, so they never cause a storm of checks.
 */
final class FreshCycles {

    private final AtomicReference<Cycle> current = new AtomicReference<>();
    private final Supplier<Cycle> next;
    private final Consumer<Cycle> begin;

    /**
     * @param next  plans the next cycle (not started yet)
     * @param begin starts a cycle once it has become the current one
     */
    FreshCycles(Supplier<Cycle> next, Consumer<Cycle> begin) {
        this.next = next;
        this.begin = begin;
    }

    /** Starts a new cycle whatever the age of the current one (the schedule's tick). */
    Cycle startNow() {
        Cycle cycle = next.get();
        current.set(cycle);
        begin.accept(cycle);
        return cycle;
    }

    /** The running or last cycle when it started within {@code age}, else a new one. */
    Cycle notOlderThan(Duration age) {
        while (true) {
            Cycle cycle = current.get();
            if (cycle != null && System.nanoTime() - cycle.startedNanos() < age.toNanos()) {
                return cycle;
            }
            Cycle started = next.get();
            if (current.compareAndSet(cycle, started)) {
                begin.accept(started);
                return started;
            }
        }
    }
}
