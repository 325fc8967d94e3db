package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void returnsTheFirstAwaitedValue() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        int value = Eventually.until("three probes", Duration.ofSeconds(5), Duration.ofMillis(1),
                probes::incrementAndGet, n -> n >= 3);
        assertEquals(3, value);
        assertEquals(3, probes.get());
    }

    @Test
    void failsAfterTheDeadlineWithTheLastValueSeen() {
        AssertionError error = assertThrows(AssertionError.class, () -> Eventually.until("a value above 5",
                Duration.ofMillis(50), Duration.ofMillis(5), () -> 4, n -> n > 5));
        assertTrue(error.getMessage().startsWith("a value above 5 within 50 ms; last seen: 4"), error.getMessage());
    }

    @Test
    void aFailingProbeFailsTheWaitAtOnce() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Eventually.until("never",
                Duration.ofMinutes(1), Duration.ofMillis(1), () -> {
                    throw new IllegalStateException("kubectl: exit 1");
                }, x -> true));
        assertEquals("kubectl: exit 1", error.getMessage());
    }
}
