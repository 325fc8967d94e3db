package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncomingOriginsTest {

    private final AtomicLong now = new AtomicLong();
    private final IncomingOrigins incoming = new IncomingOrigins(now::get);

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
    void heardWithinAWindowAndKeptAsLongAsTheLongestWindowAsked() {
        IncomingOrigins kept = new IncomingOrigins(now::get, java.time.Duration.ofSeconds(90));
        kept.record("pod-a");
        now.addAndGet(10_000_000_000L);
        kept.record("pod-b");
        assertEquals(java.util.Set.of("pod-b"), kept.heardWithin(java.time.Duration.ofSeconds(5)));
        assertEquals(java.util.Set.of("pod-a", "pod-b"), kept.heardWithin(java.time.Duration.ofSeconds(15)));
        now.addAndGet(70_000_000_000L);
        assertEquals(0, kept.distinctOrigins(), "the gauge still counts the last 60 s");
        assertEquals(java.util.Set.of("pod-a", "pod-b"), kept.heardWithin(java.time.Duration.ofSeconds(90)),
                "kept for the verdicts' 90 s window");
        now.addAndGet(11_000_000_000L);
        assertEquals(java.util.Set.of("pod-b"), kept.heardWithin(java.time.Duration.ofSeconds(90)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubenurse-7x2kq", "a", "kubenurse-abc.some.sub-domain", "0-9"})
    void recordsPodNames(String origin) {
        incoming.record(origin);
        assertEquals(1, incoming.distinctOrigins());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Kubenurse-7x2kq", "-pod", "pod-", "pod..x", "pod_x", "pod x", "pod\u001b[31m", "pod\"x",
        "p\u00f6d", ".pod"})
    void ignoresWhatIsNotShapedLikeAPodName(String origin) {
        incoming.record(origin);
        assertEquals(0, incoming.distinctOrigins());
    }

    @Test
    void ignoresNamesLongerThanAPodNameCanBe() {
        incoming.record("a".repeat(IncomingOrigins.MAX_POD_NAME));
        incoming.record("b".repeat(IncomingOrigins.MAX_POD_NAME + 1));
        incoming.record("c".repeat(12_000));
        assertEquals(1, incoming.distinctOrigins());
    }

    @Test
    void boundsTheNumberOfOrigins() {
        for (int i = 0; i < IncomingOrigins.MAX_ORIGINS + 500; i++) {
            incoming.record("pod-" + i);
        }
        assertEquals(IncomingOrigins.MAX_ORIGINS, incoming.distinctOrigins());
        now.addAndGet(61_000_000_000L);
        incoming.record("pod-new");
        assertEquals(1, incoming.distinctOrigins(), "expired origins make room again");
    }

    @Test
    void boundsTheCharactersKept() {
        int longest = IncomingOrigins.MAX_POD_NAME;
        int fit = IncomingOrigins.MAX_ORIGIN_CHARS / longest;
        for (int i = 0; i < fit + 100; i++) {
            String prefix = "p" + i + "-";
            incoming.record(prefix + "x".repeat(longest - prefix.length()));
        }
        assertEquals(fit, incoming.distinctOrigins());
        incoming.record("short-name");
        assertEquals(fit + 1, incoming.distinctOrigins(), "a short name still fits beside them");
        now.addAndGet(61_000_000_000L);
        assertEquals(0, incoming.distinctOrigins());
        incoming.record("p0-" + "x".repeat(longest - 3));
        assertEquals(1, incoming.distinctOrigins(), "expiry gives the characters back");
    }
}
