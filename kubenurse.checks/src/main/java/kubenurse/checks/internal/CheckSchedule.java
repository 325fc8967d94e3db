package kubenurse.checks.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kubenurse.config.LogValue;

/** Starts a cycle every interval on one named thread, the first at once; a cycle that throws is logged, never fatal. */
final class CheckSchedule implements AutoCloseable {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final Duration interval;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kubenurse-check-schedule").daemon().factory());

    CheckSchedule(Duration interval) {
        this.interval = interval;
    }

    void start(Runnable cycle) {
        ticker.scheduleAtFixedRate(() -> tick(cycle), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void tick(Runnable cycle) {
        try {
            cycle.run();
        } catch (RuntimeException unexpected) {
            // a task that throws is cancelled by the executor: log and keep the schedule alive
            LOG.log(Level.ERROR, "event=check_cycle_failed error=" + LogValue.quote(unexpected));
        }
    }

    /** Stops the schedule and waits, bounded, for a tick under way: none runs once this returns. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "event=check_schedule_still_running_at_stop wait=5s");
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
