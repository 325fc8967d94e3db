package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UdpPathCycleTest {

    private static final long MS = 1_000_000L;
    private static final long TIMEOUT = 1_000 * MS;

    private final UdpPathCycle cycle = new UdpPathCycle("path_n", new InetSocketAddress("127.0.0.1", 1), 4);

    private void sendAll() {
        for (int i = 0; i < 4; i++) {
            cycle.sent(i, i * 10 * MS, i * 10 * MS + TIMEOUT);
        }
    }

    @Test
    void countsTheRepliesInTimeWithTheirRtt() {
        sendAll();
        cycle.replied(0, 0, 2 * MS);
        cycle.replied(1, 10 * MS, 13 * MS);
        cycle.replied(3, 30 * MS, 34 * MS);
        UdpCycleStats stats = cycle.finish();
        assertEquals(4, stats.sent());
        assertEquals(3, stats.answered());
        assertEquals(1, stats.lost());
        assertArrayEquals(new double[] {.002, .003, .004}, stats.rttSeconds(), 1e-12);
    }

    @Test
    void aSecondReplyIsADuplicateNotAnotherAnswer() {
        sendAll();
        cycle.replied(2, 20 * MS, 21 * MS);
        cycle.replied(2, 20 * MS, 22 * MS);
        UdpCycleStats stats = cycle.finish();
        assertEquals(1, stats.answered());
        assertEquals(1, stats.duplicated());
        assertArrayEquals(new double[] {.001}, stats.rttSeconds(), 1e-12);
    }

    @Test
    void aReplyAfterTheReplyToALaterProbeIsReordered() {
        sendAll();
        cycle.replied(1, 10 * MS, 15 * MS);
        cycle.replied(0, 0, 16 * MS);
        cycle.replied(3, 30 * MS, 31 * MS);
        cycle.replied(2, 20 * MS, 32 * MS);
        UdpCycleStats stats = cycle.finish();
        assertEquals(4, stats.answered());
        assertEquals(2, stats.reordered());
        assertArrayEquals(new double[] {.016, .005, .012, .001}, stats.rttSeconds(), 1e-12, "in send order");
    }

    @Test
    void aLateReplyLeavesTheProbeLost() {
        sendAll();
        cycle.replied(0, 0, TIMEOUT + 1);
        assertEquals(0, cycle.finish().answered());
    }

    @Test
    void aReplyWithAnotherSendTimeOrToAProbeNotSentOrAfterTheEndIsIgnored() {
        cycle.sent(0, 0, TIMEOUT);
        cycle.replied(0, 5, MS);
        cycle.replied(1, 10 * MS, 11 * MS);
        UdpCycleStats stats = cycle.finish();
        assertEquals(1, stats.sent());
        assertEquals(0, stats.answered());
        assertEquals(0, stats.duplicated());
        cycle.replied(0, 0, 2 * MS);
        assertEquals(0, cycle.finish().answered(), "finished: nothing changes it any more");
    }
}
