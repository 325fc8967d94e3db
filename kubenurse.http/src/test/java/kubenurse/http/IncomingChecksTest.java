package kubenurse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IncomingChecksTest {

    private final AtomicLong now = new AtomicLong();
    private final IncomingChecks incoming = new IncomingChecks(now::get);

    @Test
    void countsDistinctOriginsOfTheLastMinute() {
        incoming.record("pod-a");
        incoming.record("pod-b");
        incoming.record("pod-a");
        incoming.record("");
        incoming.record(null);
        assertEquals(2, incoming.distinctOrigins());

        now.addAndGet(59_000_000_000L);
        incoming.record("pod-b");
        assertEquals(2, incoming.distinctOrigins());

        now.addAndGet(2_000_000_000L);
        assertEquals(1, incoming.distinctOrigins(), "pod-a was last seen 61 s ago");

        now.addAndGet(60_000_000_000L);
        assertEquals(0, incoming.distinctOrigins());
    }

    @Test
    void boundsMemoryAgainstInventedOrigins() {
        for (int i = 0; i < IncomingChecks.MAX_ORIGINS + 500; i++) {
            incoming.record("pod-" + i);
        }
        assertEquals(IncomingChecks.MAX_ORIGINS, incoming.distinctOrigins());
        now.addAndGet(61_000_000_000L);
        incoming.record("pod-new");
        assertEquals(1, incoming.distinctOrigins(), "expired origins make room again");
    }
}
