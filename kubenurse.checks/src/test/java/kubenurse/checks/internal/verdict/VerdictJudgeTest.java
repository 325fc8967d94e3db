package kubenurse.checks.internal.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import kubenurse.checks.Verdict;
import kubenurse.checks.Verdict.State;
import kubenurse.config.VerdictSettings;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import org.junit.jupiter.api.Test;

/** The rules on a clock of our own: one judgement a second (the interval), window of 3. */
class VerdictJudgeTest {

    private static final long SECOND = 1_000_000_000L;
    private static final List<Neighbour> OTHERS = List.of("b", "c", "d", "e", "f").stream()
            .map(n -> new Neighbour("pod-" + n, "10.0.0.1", "192.168.0.1", "node-" + n, "Running")).toList();
    private static final Neighbours RING = new Neighbours(OTHERS.subList(0, 3), OTHERS, true);
    /** The three pods the ring says check node-a. */
    private static final List<Neighbour> CHECKERS = ExpectedCheckers.of("node-a", OTHERS, 3);

    private final VerdictJudge judge = new VerdictJudge(VerdictSettings.defaults(), "node-a", 3, false,
            Duration.ofSeconds(1), 0);

    private static Set<String> heard(int count) {
        return CHECKERS.subList(0, count).stream().map(Neighbour::podName).collect(Collectors.toSet());
    }

    private Verdict at(long second, Set<String> heard) {
        return judge.judge(second * SECOND, RING, heard, 3, List.of());
    }

    @Test
    void pendingInOurFirstWindowThenOkWithEveryCheckerHeard() {
        assertEquals(3, CHECKERS.size());
        assertEquals(State.PENDING, at(0, Set.of()).inbound());
        assertEquals(State.PENDING, at(2, Set.of()).inbound(), "nobody heard yet, but our checkers may not have found us");
        Verdict healthy = at(3, heard(3));
        assertEquals(new Verdict(State.OK, State.OK, 3, 3, List.of(), List.of()), healthy);
    }

    @Test
    void halfOrMoreSilentTwiceInARowIsAnInboundProblem() {
        at(0, heard(3));
        assertEquals(State.OK, at(3, heard(3)).inbound());
        assertEquals(State.OK, at(4, heard(1)).inbound(), "one judgement is not enough");
        Verdict problem = at(5, heard(1));
        assertEquals(State.PROBLEM, problem.inbound());
        assertEquals(List.of(CHECKERS.get(1).nodeName(), CHECKERS.get(2).nodeName()).stream().sorted().toList(),
                problem.silentCheckers());
        assertEquals(1, problem.heardCheckers());
        assertEquals(State.OK, at(6, heard(3)).inbound(), "resolved as soon as they are heard again");
    }

    @Test
    void oneSilentCheckerOfThreeIsThatCheckersProblem() {
        at(0, heard(3));
        for (int second = 3; second < 10; second++) {
            assertEquals(State.OK, at(second, heard(2)).inbound());
        }
    }

    @Test
    void aCheckerSeenForLessThanAWindowIsNotExpectedYet() {
        VerdictJudge fresh = new VerdictJudge(VerdictSettings.defaults(), "node-a", 3, false, Duration.ofSeconds(1), 0);
        fresh.judge(0, new Neighbours(List.of(), List.of(), true), Set.of(), 0, List.of());
        // the ring appears at second 4: we are past our own window, its pods are not
        assertEquals(0, fresh.judge(4 * SECOND, RING, Set.of(), 3, List.of()).expectedCheckers());
        assertEquals(State.OK, fresh.judge(5 * SECOND, RING, Set.of(), 3, List.of()).inbound());
        assertEquals(3, fresh.judge(7 * SECOND, RING, Set.of(), 3, List.of()).expectedCheckers());
    }

    @Test
    void fewerExpectedCheckersThanTheMinimumNeverMakeAProblem() {
        List<Neighbour> one = OTHERS.subList(0, 1);
        Neighbours twoNodes = new Neighbours(one, one, true);
        judge.judge(0, twoNodes, Set.of(), 1, List.of());
        for (int second = 3; second < 8; second++) {
            Verdict verdict = judge.judge(second * SECOND, twoNodes, Set.of(), 1, List.of("b"));
            assertEquals(State.OK, verdict.inbound());
            assertEquals(State.OK, verdict.outbound(), "one failing path of one is that neighbour's problem");
        }
    }

    @Test
    void pendingWhileOurPodIsNotReadyAndForAWindowAfterItIs() {
        Neighbours notReady = new Neighbours(RING.neighbours(), OTHERS, true, false);
        judge.judge(0, RING, heard(3), 3, List.of());
        assertEquals(State.OK, at(3, heard(3)).inbound());
        // deleting, or no longer Ready: the others stop checking us, which is no problem of the network
        for (int second = 4; second < 9; second++) {
            assertEquals(State.PENDING, judge.judge(second * SECOND, notReady, Set.of(), 3, List.of()).inbound());
        }
        // Ready again at 9 (the kubelet's probe found us late): the others need a window to find us
        assertEquals(State.PENDING, at(9, Set.of()).inbound());
        assertEquals(State.PENDING, at(11, Set.of()).inbound());
        assertEquals(State.OK, at(12, heard(3)).inbound());
    }

    @Test
    void aCordonedNodeExpectsNobody() {
        Neighbours cordoned = new Neighbours(RING.neighbours(), OTHERS, false);
        judge.judge(0, cordoned, Set.of(), 3, List.of());
        assertEquals(0, judge.judge(3 * SECOND, cordoned, Set.of(), 3, List.of()).expectedCheckers());
        assertEquals(State.OK, judge.judge(4 * SECOND, cordoned, Set.of(), 3, List.of()).inbound());
    }

    @Test
    void halfOrMoreFailingPathsIsAnOutboundProblemAtOnce() {
        assertEquals(State.OK, judge.judge(0, RING, Set.of(), 3, List.of("node-c")).outbound());
        Verdict problem = judge.judge(SECOND, RING, Set.of(), 3, List.of("node-d", "node-c"));
        assertEquals(State.PROBLEM, problem.outbound());
        assertEquals(List.of("node-c", "node-d"), problem.failingPaths());
        assertEquals(State.OK, judge.judge(2 * SECOND, RING, Set.of(), 3, List.of()).outbound());
    }
}
