package kubenurse.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a positive signal with a deadline, instead of a fixed sleep: as soon as it is seen, no later. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /**
     * Reads {@code value} until {@code wanted} holds, at most for {@code within}.
     *
     * @return the value that held
     * @throws AssertionError naming {@code what} and the last value read, when the deadline passed
     */
    public static <T> T within(Duration within, String what, Supplier<T> value, Predicate<T> wanted) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T last = value.get();
            if (wanted.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + within + ", last seen " + last);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted while waiting, last seen " + last);
            }
        }
    }
}
