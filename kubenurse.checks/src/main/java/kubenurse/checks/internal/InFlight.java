package kubenurse.checks.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import kubenurse.config.LogValue;

/**
 * Which checks are running, so that a check never overlaps itself: a run asked for while the previous one
 * is going is that run. The entry of a run is released whatever the run does, so no failure can leave a
 * check marked as running, and skipped, for good.
 */
final class InFlight {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} for {@code key} on {@code executor} unless a run of that key is going.
     *
     * @return the run, new or already going; it completes (exceptionally when the work threw) once the
     *         entry is released
     */
    CompletableFuture<Void> runUnlessRunning(String key, Executor executor, Runnable work) {
        CompletableFuture<Void> run = new CompletableFuture<>();
        CompletableFuture<Void> going = running.putIfAbsent(key, run);
        if (going != null) {
            return going;
        }
        try {
            executor.execute(() -> runAndRelease(key, run, work));
        } catch (RejectedExecutionException stopped) {
            running.remove(key, run);
            run.completeExceptionally(stopped);
        }
        return run;
    }

    private void runAndRelease(String key, CompletableFuture<Void> run, Runnable work) {
        Throwable failed = null;
        try {
            work.run();
        } catch (Throwable unexpected) {
            // an Error included (a series that could not be allocated): the next cycle runs the check again
            failed = unexpected;
            LOG.log(Level.ERROR, "event=check_run_failed key=" + LogValue.quote(key) + " error="
                    + LogValue.quote(unexpected));
        } finally {
            // released before completing, so that whoever waits for the run and starts the next cycle
            // finds the check free
            running.remove(key, run);
        }
        if (failed == null) {
            run.complete(null);
        } else {
            run.completeExceptionally(failed);
        }
    }
}
