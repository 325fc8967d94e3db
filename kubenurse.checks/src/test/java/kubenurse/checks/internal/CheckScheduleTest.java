package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckScheduleTest {

    @Test
    void aCycleThatThrowsDoesNotEndTheSchedule() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        try (CheckSchedule schedule = new CheckSchedule(Duration.ofMillis(20))) {
            schedule.start(() -> {
                ticks.incrementAndGet();
                throw new IllegalStateException("neighbour list unavailable");
            });
            ScheduledCheckerTest.waitFor(() -> ticks.get() >= 3, Duration.ofSeconds(5));
        }
    }

    @Test
    void theFirstCycleRunsAtOnceAndCloseStopsTheSchedule() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        CheckSchedule schedule = new CheckSchedule(Duration.ofHours(1));
        schedule.start(ticks::incrementAndGet);
        ScheduledCheckerTest.waitFor(() -> ticks.get() == 1, Duration.ofSeconds(5));
        schedule.close();
        schedule = new CheckSchedule(Duration.ofMillis(10));
        AtomicInteger fast = new AtomicInteger();
        schedule.start(fast::incrementAndGet);
        ScheduledCheckerTest.waitFor(() -> fast.get() >= 2, Duration.ofSeconds(5));
        schedule.close();
        int atClose = fast.get();
        Thread.sleep(100);
        assertEquals(atClose, fast.get(), "no cycle after close");
    }
}
