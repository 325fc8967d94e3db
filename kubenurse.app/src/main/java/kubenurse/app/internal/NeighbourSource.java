package kubenurse.app.internal;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import kubenurse.config.Config;
import kubenurse.discovery.Discovery;
import kubenurse.discovery.Neighbour;
import kubenurse.discovery.Neighbours;

/**
 * Where the checks get their neighbours and /ready learns about our node: discovery's snapshot in a
 * cluster, {@link Neighbours#none()} in local mode.
 */
final class NeighbourSource implements AutoCloseable {

    private final Discovery discovery;

    private NeighbourSource(Discovery discovery) {
        this.discovery = discovery;
    }

    static NeighbourSource of(Config config) {
        return new NeighbourSource(config.localMode() ? null : Discovery.start(config));
    }

    /** The snapshot in effect: discovery's latest, or nobody and a ready node in local mode. */
    Neighbours snapshot() {
        return discovery == null ? Neighbours.none() : discovery.snapshot();
    }

    /**
     * Waits, at most {@code limit}, until discovery's first lists are in (or have failed), so that the first
     * check cycle already checks the neighbours, as upstream's first cycle does (it lists them itself): without
     * this, the first cycle found nobody and the neighbours came a cycle later, ~3 s after start
     * (bench/startup.sh, cluster mode). Returns at once in local mode, and once a list failed (discovery logs
     * why and retries); false when {@code limit} passed first.
     */
    boolean awaitFirstLists(Duration limit) throws InterruptedException {
        if (discovery == null) {
            return true;
        }
        try {
            discovery.firstLists().get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException listFailed) {
            return true; // discovery said why and retries; the checks start meanwhile
        } catch (TimeoutException notYet) {
            return false;
        }
    }

    /** {@code listener} is told of every new snapshot (discovery's thread; it must return quickly); never in local mode. */
    void onChange(Consumer<Neighbours> listener) {
        if (discovery != null) {
            discovery.onChange(listener);
        }
    }

    Supplier<List<Neighbour>> neighbours() {
        return () -> snapshot().neighbours();
    }


    /** For /alive: "ok", "skipped" in local mode, or what fails in discovery (the neighbour list may be stale). */
    Supplier<String> state() {
        if (discovery == null) {
            return () -> "skipped";
        }
        return () -> discovery.problem().orElse("ok");
    }

    /** kubenurse_discovery_healthy, in a cluster only: 1 while lists and watches succeed, else 0. */
    void registerHealth(PrometheusRegistry registry) {
        if (discovery != null) {
            GaugeWithCallback.builder()
                    .name("kubenurse_discovery_healthy")
                    .help("1 while kubenurse's lists and watches of pods and nodes succeed; 0 while they fail and the "
                            + "last known neighbours are used")
                    .callback(callback -> callback.call(discovery.problem().isEmpty() ? 1 : 0))
                    .register(registry);
        }
    }

    BooleanSupplier ownNodeReady() {
        return () -> snapshot().ownNodeReady();
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
    }
}
