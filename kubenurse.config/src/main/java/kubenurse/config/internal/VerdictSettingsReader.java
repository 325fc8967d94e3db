package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import kubenurse.config.VerdictSettings;

/** Reads the verdicts' quorum, minimum, window, Event cap and node-condition switch. */
final class VerdictSettingsReader {

    private VerdictSettingsReader() {
    }

    static VerdictSettings read(Variables env) {
        return new VerdictSettings(
                env.wholeNumber(PREFIX + "VERDICT_QUORUM_PERCENT", VerdictSettings.DEFAULT_QUORUM_PERCENT, 1, 100,
                        "a whole number of percent from 1 to 100"),
                env.wholeNumber(PREFIX + "VERDICT_MIN_PEERS", VerdictSettings.DEFAULT_MIN_PEERS, 1,
                        VerdictSettings.MAX_MIN_PEERS, "a whole number from 1 to " + VerdictSettings.MAX_MIN_PEERS),
                env.wholeNumber(PREFIX + "VERDICT_WINDOW_INTERVALS", VerdictSettings.DEFAULT_WINDOW_INTERVALS, 1,
                        VerdictSettings.MAX_WINDOW_INTERVALS,
                        "a whole number of check intervals from 1 to " + VerdictSettings.MAX_WINDOW_INTERVALS),
                env.wholeNumber(PREFIX + "EVENTS_PER_MINUTE", VerdictSettings.DEFAULT_EVENTS_PER_MINUTE, 0,
                        VerdictSettings.MAX_EVENTS_PER_MINUTE,
                        "a whole number from 0 (no Events) to " + VerdictSettings.MAX_EVENTS_PER_MINUTE),
                env.bool(PREFIX + "NODE_CONDITION", false));
    }
}
