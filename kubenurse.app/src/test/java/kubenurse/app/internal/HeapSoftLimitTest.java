package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

class HeapSoftLimitTest {

    private static final long LIMIT = HeapSoftLimit.SOFT_LIMIT_BYTES;
    private static final Duration FIRST = Duration.ofSeconds(1);

    private final AtomicLong committed = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();

    @Test
    void collectsOnlyWhenMoreThanTheSoftLimitIsCommitted() {
        HeapSoftLimit limit = new HeapSoftLimit(committed::get, collections::incrementAndGet, FIRST);
        committed.set(LIMIT);
        assertEquals(FIRST, limit.check());
        assertEquals(0, collections.get());
        committed.set(LIMIT + 1);
        limit.check();
        assertEquals(1, collections.get());
    }

    @Test
    void waitsLongerWhileCollectingDoesNotHelpAndShortAgainOnceItDoes() {
        // the "collection" below leaves the heap as it was: live data, as under an attack
        HeapSoftLimit limit = new HeapSoftLimit(committed::get, collections::incrementAndGet, FIRST);
        committed.set(LIMIT * 3);
        assertEquals(Duration.ofSeconds(2), limit.check());
        assertEquals(Duration.ofSeconds(4), limit.check());
        for (int i = 0; i < 10; i++) {
            limit.check();
        }
        assertEquals(HeapSoftLimit.LONGEST_WAIT, limit.check());
        // a collection that frees the heap brings the short wait back
        HeapSoftLimit freeing = new HeapSoftLimit(committed::get, () -> committed.set(LIMIT / 2), FIRST);
        committed.set(LIMIT * 3);
        assertEquals(FIRST, freeing.check());
    }

    @Test
    void looksUntilClosed() {
        committed.set(LIMIT * 2);
        AtomicReference<Thread> looking = new AtomicReference<>();
        HeapSoftLimit limit = HeapSoftLimit.start(committed::get, () -> {
            looking.set(Thread.currentThread());
            collections.incrementAndGet();
        }, Duration.ofMillis(10));
        try (limit) {
            Eventually.within(Duration.ofSeconds(10), "three collections", collections::get, n -> n >= 3);
        }
        // the positive signal that no collection can follow: the thread that made them has ended
        Eventually.within(Duration.ofSeconds(10), "the looking thread ended after close", () -> looking.get().getState(),
                state -> state == Thread.State.TERMINATED);
    }
}
