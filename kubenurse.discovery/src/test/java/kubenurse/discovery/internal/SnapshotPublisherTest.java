package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;
import kubenurse.testing.Eventually;
import kubenurse.testing.LogLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The snapshot is recomputed once per burst of changes, on its own thread, and readers only read it. */
class SnapshotPublisherTest {

    private static final Neighbour B = new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running");

    private LogLines log;
    private final AtomicInteger computations = new AtomicInteger();
    private final AtomicReference<Neighbours> state = new AtomicReference<>(Neighbours.none());
    private final java.util.concurrent.atomic.AtomicBoolean listed = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final SnapshotPublisher publisher = new SnapshotPublisher(() -> {
        computations.incrementAndGet();
        return state.get();
    }, listed::get, Duration.ofMillis(100));
    private Thread thread;

    @BeforeEach
    void start() {
        log = LogLines.listen("kubenurse.discovery", "");
        thread = Thread.ofVirtual().start(publisher::run);
    }

    @AfterEach
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(2000);
        log.close();
    }

    private List<String> changedLines() {
        return log.messages().stream().filter(l -> l.startsWith("event=neighbours_changed")).toList();
    }

    private static void waitFor(String what, BooleanSupplier condition) {
        Eventually.within(Duration.ofSeconds(5), what, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * The positive signal before asserting that nothing more happens: the publisher's thread is parked
     * waiting for the next change (not sleeping out a gather window, not computing), so nothing is pending.
     */
    private void waitUntilIdle() {
        Eventually.within(Duration.ofSeconds(5), "the publisher waiting for the next change", thread::getState,
                state -> state == Thread.State.WAITING);
    }

    @Test
    void theFirstListsEndWithTheFirstSnapshotOnceEveryListIsInEvenWhenItIsEmpty() throws Exception {
        listed.set(false);
        java.util.concurrent.CompletableFuture<Neighbours> first = publisher.firstLists();
        publisher.changed(); // one list in, another still to come
        waitFor("recomputed", () -> computations.get() == 1);
        waitUntilIdle();
        assertTrue(!first.isDone(), "not every list is in yet");
        listed.set(true);
        publisher.changed();
        // nobody eligible: the snapshot equals the one before and is not published again, yet the wait ends
        assertSame(Neighbours.none().neighbours(), first.get(5, java.util.concurrent.TimeUnit.SECONDS).neighbours());
        assertEquals(List.of(), first.get().neighbours());
        assertEquals(2, computations.get());
    }

    @Test
    void aFailedListEndsTheWaitForTheFirstLists() {
        listed.set(false);
        publisher.listFailed("pods: list /api/v1/pods: 403 Forbidden");
        java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> publisher.firstLists().get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("403"), failed.getCause().getMessage());
    }

    @Test
    void aBurstOfChangesIsOneComputationAndOneLogLine() throws Exception {
        state.set(new Neighbours(List.of(B), false));
        for (int i = 0; i < 1000; i++) {
            publisher.changed();
        }
        waitFor("published", () -> publisher.current().equals(state.get()));
        waitUntilIdle();
        assertEquals(1, computations.get(), "one recomputation for the whole burst");
        assertEquals(List.of("event=neighbours_changed count=1 nodes=\"node-b\""), changedLines());
        assertTrue(!publisher.current().ownNodeReady());
    }

    @Test
    void readersComputeNothingAndSeeOneInstanceBetweenChanges() throws Exception {
        state.set(new Neighbours(List.of(B), true));
        publisher.changed();
        waitFor("published", () -> !publisher.current().neighbours().isEmpty());
        Neighbours first = publisher.current();
        for (int i = 0; i < 1000; i++) {
            assertSame(first, publisher.current());
        }
        waitUntilIdle();
        assertEquals(1, computations.get());
    }

    @Test
    void anUnchangedResultKeepsTheSnapshotAndLogsNothing() throws Exception {
        Neighbours before = publisher.current();
        publisher.changed();
        waitFor("recomputed", () -> computations.get() == 1);
        waitUntilIdle();
        assertSame(before, publisher.current());
        assertEquals(List.of(), changedLines());
    }

    @Test
    void aFailingComputationKeepsTheLastSnapshotAndTheNextChangeIsPublished() throws Exception {
        SnapshotPublisher failingOnce = new SnapshotPublisher(() -> {
            if (computations.getAndIncrement() == 0) {
                throw new IllegalStateException("boom");
            }
            return new Neighbours(List.of(B), true);
        }, () -> true, Duration.ofMillis(10));
        Thread other = Thread.ofVirtual().start(failingOnce::run);
        try {
            failingOnce.changed();
            waitFor("first computation failed", () -> log.messages().stream().anyMatch(l -> l.startsWith("event=neighbours_failed")));
            assertEquals(Neighbours.none(), failingOnce.current());
            failingOnce.changed();
            waitFor("published after the failure", () -> failingOnce.current().neighbours().equals(List.of(B)));
        } finally {
            other.interrupt();
        }
    }

    @Test
    void listenersHearEveryPublishedSnapshotOnceAndAThrowingOneStopsNothing() throws Exception {
        List<Neighbours> heard = new CopyOnWriteArrayList<>();
        publisher.onChange(snapshot -> {
            throw new IllegalStateException("listener bug");
        });
        publisher.onChange(heard::add);
        Neighbours withB = new Neighbours(List.of(B), true);
        state.set(withB);
        publisher.changed();
        waitFor("heard", () -> heard.size() == 1);
        publisher.changed(); // recomputed, equal: not published, not heard
        waitFor("recomputed", () -> computations.get() == 2);
        waitUntilIdle();
        state.set(Neighbours.none());
        publisher.changed();
        waitFor("heard again", () -> heard.size() == 2);
        assertEquals(List.of(withB, Neighbours.none()), heard);
        assertEquals(2, log.messages().stream().filter(l -> l.startsWith("event=neighbours_listener_failed")).count());
    }
}
