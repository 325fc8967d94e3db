package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import kubenurse.config.VerdictSettings;
import org.junit.jupiter.api.Test;

class VerdictSettingsReaderTest {

    @Test
    void readsAllFiveAndKeepsTheDefaultsOfBadValuesWithOneProblemEach() {
        Variables good = new Variables(Map.of("KUBENURSE_VERDICT_QUORUM_PERCENT", "60", "KUBENURSE_VERDICT_MIN_PEERS", "3",
                "KUBENURSE_VERDICT_WINDOW_INTERVALS", "4", "KUBENURSE_EVENTS_PER_MINUTE", "0", "KUBENURSE_NODE_CONDITION", "true"));
        assertEquals(new VerdictSettings(60, 3, 4, 0, true), VerdictSettingsReader.read(good));
        assertEquals(List.of(), good.problems());

        Variables bad = new Variables(Map.of("KUBENURSE_VERDICT_QUORUM_PERCENT", "0.5", "KUBENURSE_VERDICT_MIN_PEERS", "0",
                "KUBENURSE_VERDICT_WINDOW_INTERVALS", "101", "KUBENURSE_EVENTS_PER_MINUTE", "-1", "KUBENURSE_NODE_CONDITION", "yes"));
        assertEquals(VerdictSettings.defaults(), VerdictSettingsReader.read(bad));
        assertEquals(List.of(
                "config error: KUBENURSE_VERDICT_QUORUM_PERCENT=\"0.5\": expected a whole number of percent from 1 to 100",
                "config error: KUBENURSE_VERDICT_MIN_PEERS=\"0\": expected a whole number from 1 to 1000",
                "config error: KUBENURSE_VERDICT_WINDOW_INTERVALS=\"101\": expected a whole number of check intervals from 1 to 100",
                "config error: KUBENURSE_EVENTS_PER_MINUTE=\"-1\": expected a whole number from 0 (no Events) to 1000",
                "config error: KUBENURSE_NODE_CONDITION=\"yes\": expected true or false"), bad.problems());
    }

    @Test
    void theQuorumNeedsTheMinimumAndTheShare() {
        VerdictSettings half = VerdictSettings.defaults();
        assertFalse(half.quorum(1, 1), "one peer is below the minimum of two");
        assertFalse(half.quorum(0, 0));
        assertTrue(half.quorum(1, 2));
        assertFalse(half.quorum(1, 3), "one of three is below half");
        assertTrue(half.quorum(2, 3));
        assertTrue(half.quorum(5, 10));
        assertFalse(half.quorum(4, 10));
        assertTrue(new VerdictSettings(100, 1, 3, 20, false).quorum(1, 1));
        assertFalse(new VerdictSettings(100, 1, 3, 20, false).quorum(2, 3));
    }
}
