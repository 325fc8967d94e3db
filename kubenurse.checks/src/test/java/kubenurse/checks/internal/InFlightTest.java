package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightTest {

    private final InFlight inFlight = new InFlight();

    @Test
    void aRunAskedForWhileOneIsGoingIsThatRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Runnable held = () -> {
                runs.incrementAndGet();
                await(release);
            };
            CompletableFuture<Void> first = inFlight.runUnlessRunning("path_node-a", executor, held);
            CompletableFuture<Void> second = inFlight.runUnlessRunning("path_node-a", executor, held);
            assertSame(first, second);
            CompletableFuture<Void> other = inFlight.runUnlessRunning("path_node-b", executor, runs::incrementAndGet);
            other.get(5, TimeUnit.SECONDS);
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            assertEquals(2, runs.get(), "path_node-a once, path_node-b once");
            inFlight.runUnlessRunning("path_node-a", executor, runs::incrementAndGet).get(5, TimeUnit.SECONDS);
            assertEquals(3, runs.get(), "a finished run is not reused");
        }
    }

    @Test
    void aRunThatThrowsAnErrorIsReleasedAndCompletes() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> failed = inFlight.runUnlessRunning("extra", executor, () -> {
                runs.incrementAndGet();
                throw new OutOfMemoryError("simulated: no room for a new series");
            });
            ExecutionException thrown = assertThrows(ExecutionException.class, () -> failed.get(5, TimeUnit.SECONDS));
            assertTrue(thrown.getCause() instanceof OutOfMemoryError, thrown.toString());
            inFlight.runUnlessRunning("extra", executor, runs::incrementAndGet).get(5, TimeUnit.SECONDS);
            assertEquals(2, runs.get(), "the check runs again");
        }
    }

    @Test
    void aRunRefusedByAStoppedExecutorIsReleased() throws Exception {
        ExecutorService stopped = Executors.newVirtualThreadPerTaskExecutor();
        stopped.shutdown();
        CompletableFuture<Void> refused = inFlight.runUnlessRunning("extra", stopped, () -> { });
        assertTrue(refused.isCompletedExceptionally());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger runs = new AtomicInteger();
            inFlight.runUnlessRunning("extra", executor, runs::incrementAndGet).get(5, TimeUnit.SECONDS);
            assertEquals(1, runs.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
