package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The failure state of one watcher: logged once per streak, quoted, and handed out as a bounded problem text. */
class ApiHealthTest {

    private final Logger logger = Logger.getLogger("kubenurse.discovery");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void captureLog() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
    }

    private List<String> at(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Test
    void oneWarningPerFailureStreakAndOneLineWhenItEnds() {
        ApiHealth health = new ApiHealth("nodes", problem -> { });
        assertEquals(Optional.empty(), health.problem(), "nothing known before the first attempt");
        health.failed("watch /api/v1/nodes: malformed event: one", "relisting");
        health.failed("list /api/v1/nodes: unexpected status (HTTP 503)", "retrying");
        health.failed("list /api/v1/nodes: unexpected status (HTTP 503)", "retrying");
        assertEquals("nodes: list /api/v1/nodes: unexpected status (HTTP 503)", health.problem().orElseThrow().text(),
                "the last failure");
        health.ok();
        health.ok();
        assertEquals(Optional.empty(), health.problem());
        health.failed("watch /api/v1/nodes: error event: too old", "relisting");

        assertEquals(List.of(
                "event=api_unreachable resource=nodes error=\"watch /api/v1/nodes: malformed event: one\" action=relisting"
                        + " meanwhile=keeping_last_known_state",
                "event=api_unreachable resource=nodes error=\"watch /api/v1/nodes: error event: too old\" action=relisting"
                        + " meanwhile=keeping_last_known_state"), at(Level.WARNING));
        assertEquals(List.of("event=api_reachable resource=nodes"), at(Level.INFO));
        assertEquals(2, at(Level.FINE).size(), "the retries of a streak at debug: " + records);
    }

    @Test
    void theApiServersTextIsQuotedInTheLogAndBoundedInTheProblem() {
        ApiHealth health = new ApiHealth("pods", problem -> { });
        String hostile = "watch /api/v1/pods: error event: bad\" action=none\nevent=fake " + "x".repeat(2_000);
        health.failed(hostile, "relisting");
        String warning = at(Level.WARNING).getFirst();
        assertTrue(warning.startsWith("event=api_unreachable resource=pods error=\"watch /api/v1/pods: error event: "
                + "bad\\\" action=none\\nevent=fake xxx"), warning);
        assertTrue(warning.endsWith(" more chars)\" action=relisting meanwhile=keeping_last_known_state"), warning);
        String problem = health.problem().orElseThrow().text();
        assertEquals(ApiHealth.MAX_PROBLEM_CHARS, problem.length());
        assertTrue(problem.startsWith("pods: watch /api/v1/pods: error event: bad\""), problem);
        assertTrue(problem.endsWith("..."), problem);
    }

    @Test
    void whoIsToldOfAFailureFindsItRecorded() {
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        ApiHealth[] health = new ApiHealth[1];
        health[0] = new ApiHealth("pods", text -> seen.set(health[0].problem().map(ApiHealth.Problem::text).orElse("none")));
        health[0].failed("list /api/v1/pods: connection refused", "retrying");
        assertEquals("pods: list /api/v1/pods: connection refused", seen.get(),
                "the wait for the first lists ends on the failure, and discovery's state must already say it");
    }
}
