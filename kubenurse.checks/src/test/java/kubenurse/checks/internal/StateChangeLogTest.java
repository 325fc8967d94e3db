package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import kubenurse.checks.CheckResult;
import kubenurse.testing.LogLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateChangeLogTest {

    private LogLines logged;

    @BeforeEach
    void listen() {
        logged = LogLines.listen("kubenurse.checks", "event=check_state_changed");
    }

    @AfterEach
    void stopListening() {
        logged.close();
    }

    @Test
    void oneLinePerChangeNoneForASteadyState() {
        StateChangeLog log = new StateChangeLog();
        log.observe("me_service", CheckResult.ok("me_service"));
        log.observe("me_service", CheckResult.ok("me_service"));
        log.observe("me_service", new CheckResult("me_service", "connection refused"));
        log.observe("me_service", new CheckResult("me_service", "timeout after 6s"));
        log.observe("me_service", CheckResult.ok("me_service"));
        assertEquals(List.of(
                "WARNING event=check_state_changed type=me_service from=\"ok\" to=\"connection refused\"",
                "INFO event=check_state_changed type=me_service from=\"timeout after 6s\" to=\"ok\""), logged.lines());
    }

    @Test
    void aCheckNoLongerPlannedStartsAfresh() {
        StateChangeLog log = new StateChangeLog();
        log.observe("path_node-b", CheckResult.ok("path_node-b"));
        log.forget(Set.of("path_node-b"));
        log.observe("path_node-b", new CheckResult("path_node-b", "connection refused"));
        assertEquals(List.of(), logged.lines(), "no change against a result from before the neighbour left");
    }
}
