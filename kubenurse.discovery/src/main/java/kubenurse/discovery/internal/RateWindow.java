package kubenurse.discovery.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} permits in any sliding window: each permit's time is kept until it leaves the window,
 * so the count is exact (no burst of twice the limit across the edge of a fixed minute). A refused try takes
 * nothing. Thread-safe; a try costs a few comparisons, never a wait.
 */
final class RateWindow {

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    /** The times of the permits given within the window, oldest first; guarded by this. */
    private final ArrayDeque<Long> given = new ArrayDeque<>();

    /**
     * @param limit    permits per window, 0 or more
     * @param nanoTime a monotonic clock, as System::nanoTime
     */
    RateWindow(int limit, Duration window, LongSupplier nanoTime) {
        if (limit < 0) {
            throw new IllegalArgumentException("rate limit must be 0 or more: " + limit);
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** True, and the permit counted, while fewer than the limit were given within the window. */
    synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        while (!given.isEmpty() && now - given.peekFirst() >= windowNanos) {
            given.removeFirst();
        }
        if (given.size() >= limit) {
            return false;
        }
        given.addLast(now);
        return true;
    }
}
