package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The names and timestamps of the Events: unique, valid names even for one instant or a longest node name.
 * (What an Event holds and how a repeat is written: ApiNodeReportsTest, against the stub API server.)
 */
class EventWriterTest {

    private final EventWriter writer = new EventWriter(null, null, ReportSettings.DEFAULT, "pod-a", Optional.empty());

    @Test
    void namesAreTheNodeAndTheTimeInHexUniqueWithinOneInstant() {
        Instant now = Instant.parse("2026-12-07T10:00:00.000000001Z");
        String first = writer.newName("node-b", now);
        assertEquals("node-b." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + 1), first);
        String second = writer.newName("node-b", now);
        assertEquals("node-b." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + 2), second, "one nanosecond on");
    }

    @Test
    void aLongestNodeNameIsCutToAValidName() {
        // 253 characters, cut at 236 (253 less "." and 16 hex digits): right after the dash
        String node = "a".repeat(235) + "-" + "b".repeat(17);
        String name = writer.newName(node, Instant.parse("2026-12-07T10:00:00Z"));
        assertTrue(name.length() <= 253, name.length() + " characters");
        assertTrue(name.matches("a{235}\\.[0-9a-f]{16}"), "cut before the dash, so that the name stays a DNS subdomain: " + name);
    }

    @Test
    void timestampsAreWholeSecondsInUtc() {
        assertEquals("2026-12-07T10:00:00Z", EventWriter.timestamp(Instant.parse("2026-12-07T10:00:00.999Z")));
        assertEquals("2026-12-07T10:01:00Z", EventWriter.timestamp(Instant.parse("2026-12-07T10:00:00Z").plus(Duration.ofMinutes(1))));
    }
}
