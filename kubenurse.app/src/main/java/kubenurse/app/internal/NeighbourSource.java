package kubenurse.app.internal;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import kubenurse.checks.Neighbour;
import kubenurse.config.Config;
import kubenurse.discovery.Discovery;
import kubenurse.discovery.NeighbourPod;

/**
 * Where the checks get their neighbours and /ready learns about our node: discovery in a cluster, nobody
 * in local mode. Translates discovery's records into the checks' own, so that neither module depends on
 * the other.
 */
final class NeighbourSource implements AutoCloseable {

    private final Discovery discovery;

    private NeighbourSource(Discovery discovery) {
        this.discovery = discovery;
    }

    static NeighbourSource of(Config config) {
        return new NeighbourSource(config.localMode() ? null : Discovery.start(config));
    }

    Supplier<List<Neighbour>> neighbours() {
        if (discovery == null) {
            return List::of;
        }
        return () -> discovery.neighbours().stream().map(NeighbourSource::toCheck).toList();
    }

    BooleanSupplier ownNodeReady() {
        return discovery == null ? () -> true : discovery::ownNodeReady;
    }

    private static Neighbour toCheck(NeighbourPod pod) {
        return new Neighbour(pod.podName(), pod.podIp(), pod.hostIp(), pod.nodeName(), pod.phase());
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
    }
}
