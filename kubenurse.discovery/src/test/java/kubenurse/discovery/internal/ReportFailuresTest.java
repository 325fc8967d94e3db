package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kubenurse.discovery.NodeReports.Kind;
import kubenurse.testing.LogLines;
import org.junit.jupiter.api.Test;

/** Failed writes: every one counted, one warning per kind a minute, on a clock the test moves. */
class ReportFailuresTest {

    private final AtomicLong nanos = new AtomicLong(5_000);

    @Test
    void everyFailureCountsAndEachKindWarnsOnceAMinute() {
        try (LogLines log = LogLines.listen("kubenurse.discovery", "event=node_report_failed")) {
            ReportFailures failures = new ReportFailures(nanos::get);
            failures.failed(Kind.EVENT, "status=403");
            failures.failed(Kind.EVENT, "status=403");
            failures.failed(Kind.NODE_CONDITION, "status=timeout");
            nanos.addAndGet(Duration.ofSeconds(59).toNanos());
            failures.failed(Kind.EVENT, "status=500");
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            failures.failed(Kind.EVENT, "status=503");
            assertEquals(4, failures.count(Kind.EVENT));
            assertEquals(1, failures.count(Kind.NODE_CONDITION));
            assertEquals(List.of(
                    "WARNING event=node_report_failed kind=event status=403 failures=1 next_warning_in=60s",
                    "WARNING event=node_report_failed kind=node_condition status=timeout failures=1 next_warning_in=60s",
                    "WARNING event=node_report_failed kind=event status=503 failures=4 next_warning_in=60s"), log.lines());
        }
    }
}
