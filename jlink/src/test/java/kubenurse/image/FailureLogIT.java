package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.image.fixture.MetricsText;
import kubenurse.image.fixture.RunningImage;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/** A check failing from its first run shows in the log once per failed run, as upstream logs each failure. */
class FailureLogIT {

    private static final String ERRORS = "kubenurse_errors_total{event=\"connect_done\",type=\"closed\"}";

    private static long failedRuns(RunningImage image) {
        String metrics;
        try {
            metrics = image.get("/metrics").body();
        } catch (Exception notAnswering) {
            throw new AssertionError("no /metrics", notAnswering);
        }
        return (long) MetricsText.parse(metrics).valueOr(ERRORS, 0);
    }

    private static long failureLines(RunningImage image) throws Exception {
        return image.output().lines().filter(l -> l.contains(" level=error ")
                && l.contains("event=check_failed type=closed trace_event=connect_done error=\"connection refused\""))
                .count();
    }

    @Test
    void aCheckRefusedFromItsFirstRunLogsOneErrorLinePerRun() throws Exception {
        int closed = RunningImage.freePort();
        Map<String, String> env = Map.of(
                "KUBENURSE_EXTRA_CHECKS", "closed:http://user:s3cret@127.0.0.1:" + closed + "/",
                "KUBENURSE_CHECK_INTERVAL", "500ms");
        try (RunningImage image = RunningImage.start(env, List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            Eventually.within(Duration.ofSeconds(20), "four failed runs", () -> failedRuns(image), runs -> runs >= 4);
            // the counter read before and after the log: a run may end between the reads, never uncounted
            long before = failedRuns(image);
            long lines = failureLines(image);
            long after = failedRuns(image);
            assertTrue(before >= 4, "failed runs: " + before);
            assertTrue(before <= lines && lines <= after,
                    "one error line per failed run: " + before + " <= " + lines + " <= " + after + "\n" + image.output());
            assertFalse(image.output().contains("s3cret"), image.output());
            assertEquals(0, image.output().lines().filter(l -> l.contains("event=check_state_changed type=closed")).count(),
                    "never ok, so no state changed");
        }
    }
}
