package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kubenurse.config.LogValue;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * Recomputes the {@link Neighbours} snapshot after pods or nodes changed and publishes it by swapping a
 * reference. Changes are gathered for a short while first: a rollout sends hundreds of watch events within
 * seconds, and one recomputation per burst is enough.
 */
final class SnapshotPublisher {

    /** How long changes are gathered before one recomputation. */
    static final Duration GATHER = Duration.ofMillis(200);

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final Supplier<Neighbours> compute;
    private final Duration gather;
    private final AtomicReference<Neighbours> current = new AtomicReference<>(Neighbours.none());
    private final AtomicBoolean dirty = new AtomicBoolean();
    // at most one permit: dirty guards the release
    private final Semaphore wake = new Semaphore(0);

    /** @param compute the snapshot as the mirrored objects stand now; called on the publisher's thread only */
    SnapshotPublisher(Supplier<Neighbours> compute, Duration gather) {
        this.compute = compute;
        this.gather = gather;
    }

    Neighbours current() {
        return current.get();
    }

    /** Called by the watchers after every change; cheap, never blocks. */
    void changed() {
        if (dirty.compareAndSet(false, true)) {
            wake.release();
        }
    }

    /** Publishes until interrupted. */
    void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                wake.acquire();
                Thread.sleep(gather);
            } catch (InterruptedException stopping) {
                return;
            }
            // cleared before reading: a change during the computation wakes us once more
            dirty.set(false);
            try {
                publish(compute.get());
            } catch (RuntimeException unexpected) {
                // the old snapshot stays; the next change tries again
                LOG.log(Level.ERROR, "event=neighbours_failed error=" + LogValue.quote(String.valueOf(unexpected)));
            }
        }
    }

    private void publish(Neighbours fresh) {
        Neighbours before = current.get();
        if (fresh.equals(before)) {
            return;
        }
        current.set(fresh);
        if (!fresh.neighbours().equals(before.neighbours())) {
            LOG.log(Level.INFO, "event=neighbours_changed count=" + fresh.neighbours().size() + " nodes="
                    + LogValue.quote(fresh.neighbours().stream().map(Neighbour::nodeName).distinct()
                            .collect(Collectors.joining(","))));
        }
    }
}
