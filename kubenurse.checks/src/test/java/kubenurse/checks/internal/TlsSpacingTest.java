package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import kubenurse.checks.CheckResult;
import kubenurse.checks.internal.http.Observation;
import org.junit.jupiter.api.Test;

class TlsSpacingTest {

    private static Observation handshake(long startMillis, long doneMillis) {
        Map<String, Duration> events = new LinkedHashMap<>();
        events.put("tls_handshake_start", Duration.ofMillis(startMillis));
        events.put("tls_handshake_done", Duration.ofMillis(doneMillis));
        return new Observation(CheckResult.ok("api_server_direct"), OptionalInt.of(200), Duration.ofMillis(doneMillis + 2),
                Duration.ofMillis(doneMillis + 2), events, null);
    }

    @Test
    void theMedianOfTheLastHandshakesBoundedByHalfTheIntervalAndNoneForOneCheck() {
        TlsSpacing spacing = new TlsSpacing(Duration.ofSeconds(1));
        assertEquals(TlsSpacing.INITIAL, spacing.spacing(3), "nothing seen yet");
        assertEquals(Duration.ZERO, spacing.spacing(1), "a single TLS check waits for nobody");
        spacing.observe(handshake(1, 9));
        spacing.observe(handshake(1, 13));
        spacing.observe(handshake(2, 100)); // one that queued behind others does not set the pace
        assertEquals(Duration.ofMillis(12), spacing.spacing(3));
        spacing.observe(new Observation(CheckResult.ok("me_service"), OptionalInt.of(200), Duration.ofMillis(1),
                Duration.ofMillis(1), Map.of(), null));
        assertEquals(Duration.ofMillis(12), spacing.spacing(3), "a run without a handshake changes nothing");
        assertEquals(Duration.ofMillis(5), spacing.spacing(101), "100 gaps within the first half of a 1 s interval");
    }

    @Test
    void onlyTheLastSixteenCount() {
        TlsSpacing spacing = new TlsSpacing(Duration.ofSeconds(10));
        for (int i = 0; i < 16; i++) {
            spacing.observe(handshake(0, 50));
        }
        for (int i = 0; i < 16; i++) {
            spacing.observe(handshake(0, 8));
        }
        assertEquals(Duration.ofMillis(8), spacing.spacing(2));
    }
}
