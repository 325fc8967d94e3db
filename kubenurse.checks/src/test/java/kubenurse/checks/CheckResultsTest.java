package kubenurse.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import kubenurse.discovery.Neighbour;

class CheckResultsTest {

    private static final Neighbour B = new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running");
    private static final Neighbour C = new Neighbour("c", "10.0.0.3", "192.168.0.3", "node-c", "Running");

    @Test
    void healthyWhenEveryCheckIsOkOrSkipped() {
        assertTrue(new CheckResults(List.of(CheckResult.ok("a"), CheckResult.skipped("b")), List.of(), List.of())
                .healthy());
        assertFalse(new CheckResults(List.of(CheckResult.ok("a"), new CheckResult("b", "404 Not Found")),
                List.of(), List.of()).healthy());
    }

    @Test
    void neighbourhoodStateIsOkOrTheFirstFailure() {
        CheckResults ok = new CheckResults(
                List.of(CheckResult.ok("path_node-b"), CheckResult.ok("path_node-c")), List.of(B, C), List.of(B, C));
        assertEquals("ok", ok.neighbourhoodState());
        CheckResults failing = new CheckResults(
                List.of(CheckResult.ok("path_node-b"), new CheckResult("path_node-c", "connection refused"),
                        new CheckResult("me_service", "timeout after 6s")), List.of(B, C), List.of(B, C));
        assertEquals("connection refused", failing.neighbourhoodState());
    }
}
