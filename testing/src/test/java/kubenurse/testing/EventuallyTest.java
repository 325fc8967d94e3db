package kubenurse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration POLL = Duration.ofMillis(5);

    @Test
    void returnsTheFirstValueThatHolds() {
        AtomicInteger reads = new AtomicInteger();
        assertEquals(3, Eventually.within(Duration.ofSeconds(5), "three reads", reads::incrementAndGet, n -> n == 3));
    }

    @Test
    void failsWithTheLastValueAndReadsTheContextOnlyThen() {
        AtomicInteger contextReads = new AtomicInteger();
        AssertionError failed = assertThrows(AssertionError.class, () -> Eventually.within(SHORT, POLL, "never", () -> 7,
                n -> n == 8, () -> "context " + contextReads.incrementAndGet()));
        assertEquals("never: not within PT0.2S, last seen 7\ncontext 1", failed.getMessage());
    }

    @Test
    void anExceptionOfTheReadingEndsTheWaitAtOnce() {
        IOException broken = new IOException("broken");
        AtomicInteger reads = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class, () -> Eventually.within(Duration.ofSeconds(5), POLL, "read",
                () -> {
                    reads.incrementAndGet();
                    throw broken;
                }, value -> true, () -> ""));
        assertSame(broken, thrown);
        assertEquals(1, reads.get());
    }

    @Test
    void succeedsRetriesWhatIsNotYetAndKeepsTheLastAsTheCause() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        assertEquals("up", Eventually.succeeds(Duration.ofSeconds(5), POLL, "listening", ConnectException.class, () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new ConnectException("refused " + attempts.get());
            }
            return "up";
        }, () -> ""));

        AssertionError failed = assertThrows(AssertionError.class, () -> Eventually.succeeds(SHORT, POLL, "listening",
                ConnectException.class, () -> {
                    throw new ConnectException("refused");
                }, () -> "its log"));
        assertTrue(failed.getMessage().startsWith("listening: not within PT0.2S, last failed with java.net.ConnectException: refused\nits log"),
                failed.getMessage());
        assertTrue(failed.getCause() instanceof ConnectException, String.valueOf(failed.getCause()));
    }

    @Test
    void succeedsLetsAnyOtherExceptionThrough() {
        assertThrows(IllegalStateException.class, () -> Eventually.succeeds(Duration.ofSeconds(5), POLL, "listening",
                ConnectException.class, () -> {
                    throw new IllegalStateException("not a refusal");
                }, () -> ""));
    }
}
