package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class UdpRateLimitTest {

    private static final long SECOND = 1_000_000_000L;
    private static final InetAddress A = InetAddress.ofLiteral("10.0.0.1");
    private static final InetAddress B = InetAddress.ofLiteral("10.0.0.2");

    private static int allowed(UdpRateLimit limit, InetAddress source, int attempts, long nowNanos) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            allowed += limit.allow(source, nowNanos) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void aSourceGetsItsBurstThenItsRate() {
        UdpRateLimit limit = new UdpRateLimit(200, 100, 10_000, 1_000, 16);
        assertEquals(100, allowed(limit, A, 1_000, 0));
        assertEquals(20, allowed(limit, A, 1_000, SECOND / 10), "200/s for 100 ms");
        assertEquals(100, allowed(limit, A, 1_000, 10 * SECOND), "refilled to the burst, no more");
    }

    @Test
    void aFloodFromOneSourceDoesNotTakeTheRepliesOfAnother() {
        UdpRateLimit limit = new UdpRateLimit(200, 100, 10_000, 1_000, 16);
        assertEquals(100, allowed(limit, A, 100_000, 0));
        assertEquals(100, allowed(limit, B, 100, 0));
    }

    @Test
    void allSourcesTogetherAreLimitedToo() {
        UdpRateLimit limit = new UdpRateLimit(200, 100, 1_000, 250, 16);
        int total = 0;
        for (int source = 1; source <= 10; source++) {
            total += allowed(limit, InetAddress.ofLiteral("10.0.1." + source), 100, 0);
        }
        assertEquals(250, total);
        assertFalse(limit.allow(InetAddress.ofLiteral("10.0.2.1"), 0), "a new source finds the total spent");
        assertTrue(limit.allow(InetAddress.ofLiteral("10.0.2.1"), SECOND / 100), "1,000/s refills 10 in 10 ms");
    }

    @Test
    void theTableOfSourcesIsBounded() {
        UdpRateLimit limit = new UdpRateLimit(200, 100, 1e9, 1e9, 4);
        for (int source = 1; source <= 100; source++) {
            limit.allow(InetAddress.ofLiteral("10.0.3." + source), 0);
        }
        assertEquals(4, limit.sourcesRemembered());
    }

    @Test
    void refusesLimitsThatWouldAnswerNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UdpRateLimit(0, 100, 1, 1, 1));
        assertTrue(e.getMessage().contains("0.0/s burst 100.0"), e.getMessage());
    }
}
