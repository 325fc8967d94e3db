package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sliding window of the Event cap, on a clock the test moves. */
class RateWindowTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    private List<Boolean> tries(RateWindow window, int count) {
        List<Boolean> given = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            given.add(window.tryAcquire());
        }
        return given;
    }

    @Test
    void theLimitHoldsInAnyWindowNotJustInFixedMinutes() {
        RateWindow window = new RateWindow(3, Duration.ofMinutes(1), nanos::get);
        assertEquals(List.of(true, true), tries(window, 2));
        nanos.addAndGet(Duration.ofSeconds(50).toNanos());
        assertEquals(List.of(true, false), tries(window, 2), "3 within the minute, a refused try takes nothing");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(List.of(true, true, false), tries(window, 3), "the first two left the window");
        nanos.addAndGet(Duration.ofSeconds(49).toNanos());
        assertEquals(List.of(false), tries(window, 1), "the third is still within it");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(List.of(true, false), tries(window, 2));
    }

    @Test
    void zeroGivesNothingAndANegativeLimitIsRefused() {
        assertEquals(List.of(false), tries(new RateWindow(0, Duration.ofMinutes(1), nanos::get), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RateWindow(-1, Duration.ofMinutes(1), nanos::get));
        assertEquals("rate limit must be 0 or more: -1", e.getMessage());
    }
}
