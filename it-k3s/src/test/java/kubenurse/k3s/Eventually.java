package kubenurse.k3s;

import java.time.Duration;
import java.util.function.Predicate;

/** The suite's one wait: a probe repeated, with a pause, until its value is the one awaited or a deadline passes. */
final class Eventually {

    /** A look at the cluster; it may fail (a kubectl exit status, an I/O error), which fails the wait at once. */
    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private Eventually() {
    }

    /**
     * The first value of {@code probe} that {@code awaited} accepts; an {@link AssertionError} naming {@code what}
     * and the last value seen once {@code within} has passed.
     */
    static <T> T until(String what, Duration within, Duration pause, Probe<T> probe, Predicate<? super T> awaited)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        T last = probe.get();
        while (!awaited.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " within " + (within.toMillis() < 1000 ? within.toMillis() + " ms"
                        : within.toSeconds() + " s") + "; last seen: " + last);
            }
            Thread.sleep(pause.toMillis());
            last = probe.get();
        }
        return last;
    }
}
