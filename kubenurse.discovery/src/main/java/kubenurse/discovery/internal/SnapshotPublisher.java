package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import kubenurse.config.LogValue;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * Recomputes the {@link Neighbours} snapshot after pods or nodes changed and publishes it by swapping a
 * reference. Changes are gathered for a short while first: a rollout sends hundreds of watch events within
 * seconds, and one recomputation per burst is enough. The first snapshot computed once every first list is in
 * completes {@link #firstLists()}, whether or not it differs from the empty one.
 */
final class SnapshotPublisher {

    /** How long changes are gathered before one recomputation. */
    static final Duration GATHER = Duration.ofMillis(200);

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final Supplier<Neighbours> compute;
    private final BooleanSupplier listed;
    private final Duration gather;
    private final CompletableFuture<Neighbours> firstLists = new CompletableFuture<>();
    private final AtomicReference<Neighbours> current = new AtomicReference<>(Neighbours.none());
    private final AtomicBoolean dirty = new AtomicBoolean();
    // at most one permit: dirty guards the release
    private final Semaphore wake = new Semaphore(0);
    private final List<Consumer<Neighbours>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param compute the snapshot as the mirrored objects stand now; called on the publisher's thread only
     * @param listed  true once every watcher has its first list
     */
    SnapshotPublisher(Supplier<Neighbours> compute, BooleanSupplier listed, Duration gather) {
        this.compute = compute;
        this.listed = listed;
        this.gather = gather;
    }

    /**
     * Completed with the first snapshot made from every first list (none eligible is a snapshot too), or
     * exceptionally when a list failed before that (the watchers retry; later snapshots come as usual).
     */
    CompletableFuture<Neighbours> firstLists() {
        return firstLists.copy();
    }

    /** A list or watch failed: ends the wait for the first lists, if it is still going. */
    void listFailed(String problem) {
        firstLists.completeExceptionally(new IllegalStateException(problem));
    }

    /** {@code listener} is told of every snapshot published from now on, on the publisher's thread. */
    void onChange(Consumer<Neighbours> listener) {
        listeners.add(listener);
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
                // read before computing: a list that ends meanwhile wakes us once more
                boolean everyList = listed.getAsBoolean();
                publish(compute.get());
                if (everyList) {
                    firstLists.complete(current.get());
                }
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
        for (Consumer<Neighbours> listener : listeners) {
            try {
                listener.accept(fresh);
            } catch (RuntimeException failed) {
                LOG.log(Level.ERROR, "event=neighbours_listener_failed error=" + LogValue.quote(String.valueOf(failed)));
            }
        }
    }
}
