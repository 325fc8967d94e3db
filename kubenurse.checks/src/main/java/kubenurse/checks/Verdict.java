package kubenurse.checks;

import java.util.List;
import java.util.Locale;

/**
 * Whether our node has a network problem, and in which direction (docs/verdicts.md).
 *
 * @param inbound          others cannot reach us: enough of the pods the hash ring says check us were silent
 * @param outbound         we cannot reach others: enough of our neighbour paths failed their last runs
 * @param expectedCheckers how many pods the ring says check us (Ready long enough to have done so)
 * @param heardCheckers    how many of them checked us within the window
 * @param silentCheckers   the node names of the expected checkers not heard, sorted
 * @param failingPaths     the node names of our neighbour paths that failed their last runs, sorted
 */
public record Verdict(State inbound, State outbound, int expectedCheckers, int heardCheckers,
        List<String> silentCheckers, List<String> failingPaths) {

    private static final Verdict SKIPPED = new Verdict(State.SKIPPED, State.SKIPPED, 0, 0, List.of(), List.of());

    /** A direction's verdict; /alive shows it in lower case. */
    public enum State {
        /** No problem found. */
        OK,
        /** A problem: the quorum of peers agrees. */
        PROBLEM,
        /** Too early to say: our own first window, when our checkers have not found us yet. */
        PENDING,
        /** No verdicts: local mode. */
        SKIPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Verdict {
        silentCheckers = List.copyOf(silentCheckers);
        failingPaths = List.copyOf(failingPaths);
    }

    /** No verdicts (local mode, and before the first judgement). */
    public static Verdict skipped() {
        return SKIPPED;
    }
}
