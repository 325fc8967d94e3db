package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class UdpCycleStatsTest {

    private static UdpCycleStats answered(double... rtts) {
        return new UdpCycleStats("path_n", 20, rtts.length, rtts, 0, 0);
    }

    @Test
    void lostIsSentMinusAnsweredInTime() {
        assertEquals(17, answered(.001, .002, .003).lost());
    }

    @Test
    void theMedianIsAMeasuredValueTheLowerMiddleOfAnEvenCount() {
        assertEquals(OptionalDouble.of(.002), answered(.003, .001, .002).p50());
        assertEquals(OptionalDouble.of(.002), answered(.004, .001, .002, .003).p50());
        assertEquals(OptionalDouble.of(.005), answered(.005).p50());
        assertEquals(OptionalDouble.empty(), answered().p50());
    }

    @Test
    void jitterIsTheMeanAbsoluteDifferenceOfConsecutiveRttsInSendOrder() {
        // |.003-.001| + |.002-.003| + |.006-.002| = .007 over 3 differences
        assertEquals(.007 / 3, answered(.001, .003, .002, .006).jitter().getAsDouble(), 1e-12);
        assertEquals(0.0, answered(.1, .1, .1).jitter().getAsDouble(), "a constant delay is no jitter");
        assertEquals(OptionalDouble.empty(), answered(.1).jitter(), "one reply has no jitter");
    }
}
