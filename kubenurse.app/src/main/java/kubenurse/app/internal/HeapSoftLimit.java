package kubenurse.app.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.LongSupplier;
import kubenurse.config.LogValue;

/**
 * Keeps the heap near what kubenurse needs at rest, while -Xmx stays large enough for the server's worst
 * case (1,200 connections, ~50 MB; kubenurse.http's ServerLimits). The serial collector grows its old
 * generation up to -Xmx before it ever collects it: objects that outlive a young collection and die later
 * (each check's client) would fill 64 MiB within minutes and stay resident. So, every {@link #PERIOD},
 * when more than {@link #SOFT_LIMIT_BYTES} of heap is committed, a full collection runs, after which the
 * collector gives back what is free (-XX:MaxHeapFreeRatio in jlink/link.sh). That is about as often as the
 * old 16 MiB limit collected by itself (bench/steady-state.sh). Under an attack the heap holds live
 * connections: it stays large, and the collection costs one pause of a few ms every period.
 */
final class HeapSoftLimit implements AutoCloseable {

    static final long SOFT_LIMIT_BYTES = 20L << 20;
    static final Duration PERIOD = Duration.ofSeconds(10);
    private static final Logger LOG = System.getLogger("kubenurse.app");

    private final LongSupplier committedBytes;
    private final Runnable collect;
    private final Thread thread;

    /**
     * @param committedBytes the heap committed now ({@code Runtime::totalMemory} outside tests)
     * @param collect        a full collection ({@code System::gc} outside tests)
     */
    HeapSoftLimit(LongSupplier committedBytes, Runnable collect, Duration period) {
        this.committedBytes = committedBytes;
        this.collect = collect;
        this.thread = Thread.ofVirtual().name("kubenurse-heap-soft-limit").unstarted(() -> loop(period));
    }

    /** Looks every period on a thread of its own until closed. */
    static HeapSoftLimit start(LongSupplier committedBytes, Runnable collect, Duration period) {
        HeapSoftLimit limit = new HeapSoftLimit(committedBytes, collect, period);
        limit.thread.start();
        return limit;
    }

    /** On this JVM's heap. */
    static HeapSoftLimit start() {
        return start(Runtime.getRuntime()::totalMemory, System::gc, PERIOD);
    }

    /** One look: collects when over the limit; returns whether it did. */
    boolean check() {
        if (committedBytes.getAsLong() <= SOFT_LIMIT_BYTES) {
            return false;
        }
        collect.run();
        return true;
    }

    private void loop(Duration period) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(period);
                check();
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
