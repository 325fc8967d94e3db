package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapSoftLimitTest {

    private final AtomicLong committed = new AtomicLong();
    private final AtomicInteger collections = new AtomicInteger();

    @Test
    void collectsOnlyWhenMoreThanTheSoftLimitIsCommitted() {
        HeapSoftLimit limit = new HeapSoftLimit(committed::get, collections::incrementAndGet, Duration.ofDays(1));
        committed.set(HeapSoftLimit.SOFT_LIMIT_BYTES);
        assertFalse(limit.check());
        committed.set(HeapSoftLimit.SOFT_LIMIT_BYTES + 1);
        assertTrue(limit.check());
        assertEquals(1, collections.get());
    }

    @Test
    void looksEveryPeriodUntilClosed() throws Exception {
        committed.set(HeapSoftLimit.SOFT_LIMIT_BYTES * 2);
        HeapSoftLimit limit = HeapSoftLimit.start(committed::get, collections::incrementAndGet, Duration.ofMillis(10));
        try (limit) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (collections.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(collections.get() >= 3, "collections: " + collections.get());
        }
        Thread.sleep(50);
        int afterClose = collections.get();
        Thread.sleep(100);
        assertEquals(afterClose, collections.get(), "no collection after close");
    }
}
