package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.Observation;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/** A cycle starts its TLS checks a handshake apart and its other checks at once. */
class TlsStaggerTest {

    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();

    private Check check(String type, boolean tls) {
        return new Check() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public boolean tls() {
                return tls;
            }

            @Override
            public Observation run() {
                startedNanos.put(type, System.nanoTime());
                return ScheduledCheckerTest.ok(type);
            }
        };
    }

    @Test
    void tlsChecksStartTheInitialSpacingApartOthersAtOnce() throws Exception {
        List<Check> plan = List.of(check("api_server_direct", true), check("me_service", false),
                check("api_server_dns", true), check("me_ingress", true));
        long before = System.nanoTime();
        try (ScheduledChecker checker = ScheduledCheckerTest.checker(n -> plan, List::of, Duration.ofHours(1))) {
            checker.start();
            Eventually.within(Duration.ofSeconds(5), "every check started", startedNanos::size, size -> size == 4);
        }
        long spacing = TlsSpacing.INITIAL.toNanos();
        long direct = startedNanos.get("api_server_direct");
        long dns = startedNanos.get("api_server_dns");
        long ingress = startedNanos.get("me_ingress");
        assertTrue(dns - direct >= spacing, "the second TLS check one spacing after the first: " + (dns - direct));
        assertTrue(ingress - direct >= 2 * spacing, "the third two after it: " + (ingress - direct));
        assertTrue(startedNanos.get("me_service") - before < ingress - before, "the plain check does not wait its turn");
    }
}
