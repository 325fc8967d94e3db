package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import kubenurse.config.LogValue;

/**
 * The node reports waiting to be written, run one after another on one virtual thread: in order, so that an
 * Event's count update follows its creation, and bounded, so that a hung API server costs at most this many
 * waiting writes while callers only ever offer and go on. Closing drops what waits and interrupts the write
 * in progress.
 */
final class ReportQueue implements AutoCloseable {

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final BlockingQueue<Runnable> waiting;
    private final Thread writer;
    private volatile boolean closed;

    private ReportQueue(int capacity, String threadName) {
        this.waiting = new ArrayBlockingQueue<>(capacity);
        this.writer = Thread.ofVirtual().name(threadName).unstarted(this::run);
    }

    /** A queue of {@code capacity} writes whose thread, named {@code threadName}, runs from now on. */
    static ReportQueue start(int capacity, String threadName) {
        ReportQueue queue = new ReportQueue(capacity, threadName);
        queue.writer.start();
        return queue;
    }

    /** Queues {@code write}; false, at once, when the queue is full or closed. */
    boolean offer(Runnable write) {
        return !closed && waiting.offer(write);
    }

    private void run() {
        while (!closed) {
            Runnable write;
            try {
                write = waiting.take();
            } catch (InterruptedException closing) {
                return;
            }
            try {
                write.run();
            } catch (RuntimeException unexpected) {
                // each write counts its own failures; this is a bug, and the next write must still run
                LOG.log(Level.ERROR, "event=node_report_bug error=" + LogValue.quote(String.valueOf(unexpected)));
            }
        }
    }

    /** Stops the thread and drops the waiting writes; a write in progress is interrupted. */
    @Override
    public void close() {
        closed = true;
        waiting.clear();
        writer.interrupt();
    }

    boolean closed() {
        return closed;
    }

    /** True once the thread has ended (after {@link #close()}). */
    boolean stopped() {
        return !writer.isAlive();
    }
}
