package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FreshCyclesTest {

    private final List<Cycle> begun = new CopyOnWriteArrayList<>();
    private final FreshCycles cycles = new FreshCycles(() -> Cycle.startingNow(kubenurse.discovery.Neighbours.none(), List.of()), begun::add);

    @Test
    void aYoungCycleIsReusedAnOldOneReplaced() throws Exception {
        Cycle first = cycles.notOlderThan(Duration.ofHours(1));
        assertSame(first, cycles.notOlderThan(Duration.ofHours(1)));
        Thread.sleep(20);
        Cycle second = cycles.notOlderThan(Duration.ofMillis(10));
        assertNotSame(first, second);
        assertEquals(List.of(first, second), begun);
    }

    @Test
    void concurrentCallersShareOneCycle() throws Exception {
        List<Future<Cycle>> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                answers.add(callers.submit(() -> cycles.notOlderThan(Duration.ofHours(1))));
            }
            // a caller may return the winner's cycle before the winner has begun it: compare once all answered
            Cycle shared = answers.getFirst().get(5, TimeUnit.SECONDS);
            for (Future<Cycle> answer : answers) {
                assertSame(shared, answer.get(5, TimeUnit.SECONDS));
            }
        }
        assertEquals(List.of(answers.getFirst().get()), begun);
    }

    @Test
    void theScheduleStartsACycleWhateverTheAge() {
        Cycle first = cycles.notOlderThan(Duration.ofHours(1));
        Cycle ticked = cycles.startNow();
        assertNotSame(first, ticked);
        assertSame(ticked, cycles.notOlderThan(Duration.ofHours(1)), "the tick's cycle is the current one");
    }
}
