package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.Observation;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import org.junit.jupiter.api.Test;

class ResultsPublisherTest {

    private static final Neighbour B = new Neighbour("b", "10.0.0.2", "192.168.0.2", "node-b", "Running");

    /** A check of a type and key; never run here. */
    private record Planned(String type, String key) implements Check {
        @Override
        public Observation run() {
            throw new UnsupportedOperationException("only planned");
        }
    }

    private static final Check API = new Planned("api_server_direct", "api_server_direct");
    private static final Check OLD_POD = new Planned("path_node-b", "path_node-b http://10.0.0.2");
    private static final Check NEW_POD = new Planned("path_node-b", "path_node-b http://10.0.0.3");

    private static Cycle cycle(List<Neighbour> neighbours, Check... checks) {
        return Cycle.startingNow(new Neighbours(neighbours, true), List.of(checks));
    }

    @Test
    void theNeighbourhoodShownIsTheSnapshotTheShownCycleWasPlannedFrom() {
        Neighbour c = new Neighbour("c", "10.0.0.4", "192.168.0.4", "node-c", "Running");
        ResultsPublisher publisher = new ResultsPublisher(List.of(), new StateChangeLog());
        Neighbours planned = new Neighbours(List.of(B), List.of(B, c), true); // c eligible, not chosen
        assertTrue(publisher.plan(Cycle.startingNow(planned, List.of(API, OLD_POD))).isPresent());
        publisher.publish(OLD_POD, CheckResult.ok("path_node-b"));
        assertEquals(List.of(B), publisher.latest().neighbourhood());
        assertEquals(List.of(B, c), publisher.latest().eligible(), "one moment: the same snapshot as the checked ones");
        assertEquals(List.of(B, c), publisher.latest().eligible(), "a result published later keeps it");
    }

    @Test
    void everyCheckShowsSkippedUntilItsFirstResult() {
        ResultsPublisher publisher = new ResultsPublisher(List.of(API), new StateChangeLog());
        assertEquals(Map.of("api_server_direct", "skipped"), publisher.latest().byType());
        publisher.plan(cycle(List.of(B), API, OLD_POD));
        assertEquals(Map.of("api_server_direct", "skipped", "path_node-b", "skipped"), publisher.latest().byType());
        assertEquals(List.of(B), publisher.latest().neighbourhood());
        publisher.publish(API, CheckResult.ok("api_server_direct"));
        assertEquals(Map.of("api_server_direct", "ok", "path_node-b", "skipped"), publisher.latest().byType());
    }

    @Test
    void eachResultIsANewSnapshotAndTheOldOneStaysAsItWas() {
        ResultsPublisher publisher = new ResultsPublisher(List.of(), new StateChangeLog());
        publisher.plan(cycle(List.of(), API));
        CheckResults before = publisher.latest();
        publisher.publish(API, new CheckResult("api_server_direct", "connection refused"));
        assertEquals("skipped", before.outcome("api_server_direct").orElseThrow());
        assertEquals("connection refused", publisher.latest().outcome("api_server_direct").orElseThrow());
    }

    @Test
    void aFailureOfEitherPodOfASurgeShows() {
        ResultsPublisher publisher = new ResultsPublisher(List.of(), new StateChangeLog());
        publisher.plan(cycle(List.of(B), OLD_POD, NEW_POD));
        publisher.publish(OLD_POD, CheckResult.ok("path_node-b"));
        assertEquals("ok", publisher.latest().outcome("path_node-b").orElseThrow(), "ok before not run yet");
        publisher.publish(NEW_POD, new CheckResult("path_node-b", "500 Internal Server Error"));
        assertEquals("500 Internal Server Error", publisher.latest().outcome("path_node-b").orElseThrow());
        publisher.publish(OLD_POD, CheckResult.ok("path_node-b"));
        assertEquals("500 Internal Server Error", publisher.latest().outcome("path_node-b").orElseThrow());
        assertEquals(1, publisher.latest().results().size());
    }

    @Test
    void checksNoLongerPlannedDropOutAndTheirLateResultsAreIgnored() {
        ResultsPublisher publisher = new ResultsPublisher(List.of(), new StateChangeLog());
        assertEquals(Departures.NONE, publisher.plan(cycle(List.of(B), API, OLD_POD)).orElseThrow());
        publisher.publish(OLD_POD, CheckResult.ok("path_node-b"));
        Departures departed = publisher.plan(cycle(List.of(), API)).orElseThrow();
        assertEquals(Set.of(OLD_POD.key()), departed.keys(), "computed once, for everything that forgets");
        assertEquals(Set.of("path_node-b"), departed.types());
        assertEquals(Map.of("api_server_direct", "skipped"), publisher.latest().byType());
        CheckResults shown = publisher.latest();
        publisher.publish(OLD_POD, new CheckResult("path_node-b", "timeout after 6s"));
        assertSame(shown, publisher.latest(), "the result of a neighbour that left meanwhile changes nothing");
        publisher.plan(cycle(List.of(B), API, OLD_POD));
        assertEquals("skipped", publisher.latest().outcome("path_node-b").orElseThrow(),
                "a neighbour that comes back starts afresh");
    }

    @Test
    void anOlderCyclesPlanDoesNotReplaceANewerOne() {
        ResultsPublisher publisher = new ResultsPublisher(List.of(), new StateChangeLog());
        Cycle older = new Cycle(System.nanoTime() - 1_000_000, new Neighbours(List.of(B), true), List.of(API, OLD_POD),
                List.of(API, OLD_POD), new CompletableFuture<>());
        assertTrue(publisher.plan(cycle(List.of(), API)).isPresent());
        assertTrue(publisher.plan(older).isEmpty());
        assertEquals(Map.of("api_server_direct", "skipped"), publisher.latest().byType());
    }
}
