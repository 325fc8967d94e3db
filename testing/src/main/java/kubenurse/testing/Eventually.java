package kubenurse.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a positive signal with a deadline, instead of a fixed sleep: as soon as it is seen, no later. The one
 * wait helper of the tests: a test that watches for a whole duration ("nothing happens during X") or measures when
 * something happened writes its own loop, because this one stops at the first signal.
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    /**
     * A value read again on every poll. What it throws ends the wait at once, as it would end the test, except
     * what {@link #succeeds} is told to read again.
     */
    @FunctionalInterface
    public interface Reading<T, E extends Exception> {
        T read() throws E;
    }

    /**
     * Reads {@code value} until {@code wanted} holds, at most for {@code within}.
     *
     * @return the value that held
     * @throws AssertionError naming {@code what} and the last value read, when the deadline passed
     */
    public static <T> T within(Duration within, String what, Supplier<T> value, Predicate<T> wanted) {
        return within(within, POLL, what, value::get, wanted, () -> "");
    }

    /**
     * As {@link #within(Duration, String, Supplier, Predicate)}, for a reading that is slower or costs more than an
     * in-process field (an HTTP request, a process's metrics): read every {@code poll}; and a failure appends
     * {@code context} on a line of its own, a process's log for instance, read only then because it is long and
     * only a failure needs it.
     */
    public static <T, E extends Exception> T within(Duration within, Duration poll, String what, Reading<T, E> value,
            Predicate<T> wanted, Reading<String, E> context) throws E {
        return poll(within, poll, what, value, wanted, null, context);
    }

    /**
     * Calls {@code attempt} until it returns instead of throwing a {@code notYet}, at most for {@code within}: for a
     * server that refuses connections until it listens. Any other exception ends the wait at once.
     *
     * @throws AssertionError naming {@code what}, with {@code context} and the last {@code notYet} as its cause
     */
    public static <T, E extends Exception> T succeeds(Duration within, Duration poll, String what,
            Class<? extends Exception> notYet, Reading<T, E> attempt, Reading<String, E> context) throws E {
        return poll(within, poll, what, attempt, value -> true, notYet, context);
    }

    private static <T, E extends Exception> T poll(Duration within, Duration poll, String what, Reading<T, E> value,
            Predicate<T> wanted, Class<? extends Exception> notYet, Reading<String, E> context) throws E {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T last = null;
            Exception failed = null;
            try {
                last = value.read();
                if (wanted.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                if (notYet == null || !notYet.isInstance(e)) {
                    throw e;
                }
                failed = e;
            }
            if (System.nanoTime() - deadline > 0) {
                String more = context.read();
                throw new AssertionError(what + ": not within " + within + ", " + seen(last, failed)
                        + (more.isEmpty() ? "" : "\n" + more), failed);
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted while waiting, " + seen(last, failed), failed);
            }
        }
    }

    private static String seen(Object last, Exception failed) {
        return failed == null ? "last seen " + last : "last failed with " + failed;
    }
}
