package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import kubenurse.checks.internal.ScheduledCheckerTest.CountingCheck;
import kubenurse.checks.internal.http.Check;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/** A snapshot that adds neighbours has them checked at once; nothing else runs early. */
class NeighboursAddedTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Neighbour B = new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running");
    private static final Neighbour C = new Neighbour("pod-c", "10.0.0.3", "192.168.0.3", "node-c", "Running");

    private final CountingCheck api = new CountingCheck("api_server_direct");
    private final Map<String, CountingCheck> paths = new ConcurrentHashMap<>();

    private List<Check> plan(List<Neighbour> neighbours) {
        List<Check> checks = new ArrayList<>(List.of(api));
        neighbours.forEach(n -> checks.add(paths.computeIfAbsent(n.nodeName(), node -> new CountingCheck("path_" + node))));
        return checks;
    }

    private int runs(String node) {
        CountingCheck path = paths.get(node);
        return path == null ? 0 : path.runs.get();
    }

    @Test
    void addedNeighboursAreCheckedAtOnceAndOnlyThey() throws Exception {
        AtomicReference<List<Neighbour>> current = new AtomicReference<>(List.of());
        // an hour's interval: any run after the first cycle comes from neighboursChanged
        try (ScheduledChecker checker = ScheduledCheckerTest.checker(this::plan, current::get, Duration.ofHours(1))) {
            checker.neighboursChanged(new Neighbours(List.of(B), true));
            checker.start();
            Eventually.within(WAIT, "the first cycle", api.runs::get, runs -> runs == 1);
            assertEquals(0, runs("node-b"), "a snapshot before start() starts nothing: the first cycle plans from the current one");

            current.set(List.of(B));
            checker.neighboursChanged(new Neighbours(List.of(B), true));
            Eventually.within(WAIT, "node-b's check", () -> checker.latest().outcome("path_node-b").orElse(""), "ok"::equals);
            assertEquals(1, runs("node-b"));

            checker.neighboursChanged(new Neighbours(List.of(B), true));
            current.set(List.of(B, C));
            checker.neighboursChanged(new Neighbours(List.of(B, C), true));
            Eventually.within(WAIT, "node-c's check", () -> runs("node-c"), runs -> runs == 1);
            assertEquals(1, runs("node-b"), "a snapshot that adds nobody, or adds someone else, does not check node-b again");
            assertEquals(1, api.runs.get(), "the API server is not checked again by neighbour changes");
            assertEquals(List.of(B, C), checker.latest().neighbourhood(), "the results show the snapshot that added node-c");
        }
    }

    @Test
    void aSnapshotAfterCloseStartsNothing() throws Exception {
        ScheduledChecker checker = ScheduledCheckerTest.checker(this::plan, List::of, Duration.ofHours(1));
        checker.start();
        Eventually.within(WAIT, "the first cycle", api.runs::get, runs -> runs == 1);
        checker.close();
        // would throw (the workers are shut down) or run node-b's check
        checker.neighboursChanged(new Neighbours(List.of(B), true));
        assertEquals(0, runs("node-b"));
    }
}
