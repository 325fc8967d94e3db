package kubenurse.discovery;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import kubenurse.config.Config;
import kubenurse.discovery.internal.KubernetesDiscovery;

/**
 * Keeps the API server's view of the kubenurse pods and the nodes, and says which neighbours to check and
 * whether our own node is fit (exists, schedulable). When the API server is unreachable, the last known
 * view stays in use.
 */
public interface Discovery extends AutoCloseable {

    /** Starts list+watch of pods and nodes in the background; returns at once. */
    static Discovery start(Config config) {
        return KubernetesDiscovery.start(config);
    }

    /**
     * The latest snapshot, without computing anything: it is replaced when pods or nodes change. Before the
     * first lists, {@link Neighbours#none()}.
     */
    Neighbours snapshot();

    /**
     * Completed with the first snapshot made once pods and nodes have each been listed (an empty one when no
     * neighbour is eligible), or exceptionally with what failed when a list failed first: discovery retries,
     * and later snapshots replace {@link #snapshot()} as usual.
     */
    CompletableFuture<Neighbours> firstLists();

    /**
     * Tells {@code listener} of every snapshot published from now on, on discovery's own thread, right after
     * {@link #snapshot()} returns it: the listener must return quickly (hand work to its own threads) and not
     * throw; one that throws is logged and still called next time.
     */
    void onChange(Consumer<Neighbours> listener);

    /** Empty while lists and watches of pods and nodes succeed (and before the first attempt); else what failed
     *  last, e.g. "nodes: watch /api/v1/nodes: malformed event ...", at most 512 chars. */
    Optional<String> problem();

    /** Stops the watches. */
    @Override
    void close();
}
