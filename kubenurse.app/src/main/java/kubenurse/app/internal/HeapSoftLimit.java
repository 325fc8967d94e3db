package kubenurse.app.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;
import kubenurse.config.LogValue;

/**
 * Keeps the heap near what kubenurse needs, while -Xmx stays large enough for the server's worst case
 * (1,200 connections, ~50 MB; kubenurse.http's ServerLimits). The serial collector grows its old generation
 * up to -Xmx before it ever collects it: objects that outlive a young collection and die later (each check's
 * client, each request's buffers) would fill 64 MiB and stay resident. So, every second, when more than
 * {@link #SOFT_LIMIT_BYTES} of heap is committed, a full collection runs, after which the collector gives
 * back at once what is free beyond 20 % (-XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps in jlink/link.sh:
 * by default it shrinks in steps that every young collection resets, so it never shrank). kubenurse keeps
 * ~6 MB live at rest, so the heap settles at ~10 MiB plus what a few seconds' promotions add; a collection
 * every few seconds at ~10 ms (bench/nmt.sh, bench/steady-state.sh). When a collection cannot bring the heap under
 * the limit, the heap holds live data (an attack's connections): collecting again soon would only cost
 * pauses, so the next look waits twice as long, up to {@link #LONGEST_WAIT}.
 */
final class HeapSoftLimit implements AutoCloseable {

    static final long SOFT_LIMIT_BYTES = 12L << 20;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = System.getLogger("kubenurse.app");

    private final LongSupplier committedBytes;
    private final Runnable collect;
    private final Duration firstWait;
    private final Thread thread;
    /** Only the loop's thread (or a test calling {@link #check()} on a limit never started) touches it. */
    private Duration wait;

    /**
     * @param committedBytes the heap committed now ({@code Runtime::totalMemory} outside tests)
     * @param collect        a full collection ({@code System::gc} outside tests)
     * @param firstWait      the time between two looks while collections help
     */
    HeapSoftLimit(LongSupplier committedBytes, Runnable collect, Duration firstWait) {
        this.committedBytes = committedBytes;
        this.collect = collect;
        this.firstWait = firstWait;
        this.wait = firstWait;
        this.thread = Thread.ofVirtual().name("kubenurse-heap-soft-limit").unstarted(this::loop);
    }

    /** Looks on a thread of its own until closed. */
    static HeapSoftLimit start(LongSupplier committedBytes, Runnable collect, Duration firstWait) {
        HeapSoftLimit limit = new HeapSoftLimit(committedBytes, collect, firstWait);
        limit.thread.start();
        return limit;
    }

    /** On this JVM's heap. */
    static HeapSoftLimit start() {
        return start(Runtime.getRuntime()::totalMemory, System::gc, FIRST_WAIT);
    }

    /** One look: collects when over the limit; returns the wait until the next look. */
    Duration check() {
        if (committedBytes.getAsLong() <= SOFT_LIMIT_BYTES) {
            wait = firstWait;
            return wait;
        }
        collect.run();
        if (committedBytes.getAsLong() > SOFT_LIMIT_BYTES) {
            Duration doubled = wait.multipliedBy(2);
            wait = doubled.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : doubled;
        } else {
            wait = firstWait;
        }
        return wait;
    }

    private void loop() {
        Duration next = firstWait;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(next);
                next = check();
            } catch (InterruptedException stopping) {
                return;
            } catch (RuntimeException unexpected) {
                LOG.log(Level.WARNING, "event=heap_soft_limit_failed error=" + LogValue.quote(unexpected));
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
