package kubenurse.app.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kubenurse.checks.Checker;
import kubenurse.checks.UdpProbe;
import kubenurse.config.Config;
import kubenurse.config.ConfigException;
import kubenurse.config.GoDuration;
import kubenurse.config.LogValue;
import kubenurse.discovery.NodeReports;
import kubenurse.http.Endpoints;
import kubenurse.http.IncomingChecks;
import kubenurse.http.StatusServer;

/**
 * Wires the parts and runs them until a stop signal: configuration, metrics, discovery, checks, the server, then
 * the shutdown sequence (not ready, keep serving SHUTDOWN_DURATION, stop checks, close; README "The runtime image").
 */
public final class Application {

    private static final Logger LOG = System.getLogger("kubenurse.app");
    static final String USAGE = """
            kubenurse: a Kubernetes network monitor (a DaemonSet pod on every node).
            It takes no arguments: it is configured by environment variables (KUBENURSE_*, as the Go kubenurse),
            listed with their defaults in the README's "Configuration" section. Outside a cluster (no
            KUBERNETES_SERVICE_HOST) it runs in local mode and serves /alive, /alwayshappy, /ready and /metrics
            on KUBENURSE_HTTP_PORT (8080); in a cluster it also answers and sends UDP probes on KUBENURSE_UDP_PORT
            (8080/udp). Exit statuses: 0 stopped, 1 failure at start, 2 bad configuration, 3 out of memory, 4 a port
            that cannot be bound.""";

    /**
     * How long the first check cycle waits for discovery's first lists: a few hundred ms in a small cluster,
     * longer on a slow API server or at thousands of nodes, when the checks start without neighbours.
     */
    static final Duration FIRST_LISTS_WAIT = Duration.ofSeconds(5);

    private final Map<String, String> environment;
    private final String hostname;
    private final PrintStream console;

    public Application(Map<String, String> environment, String hostname, PrintStream console) {
        this.environment = environment;
        this.hostname = hostname;
        this.console = console;
    }

    /**
     * Runs until stopped; returns the exit status. kubenurse is configured by its environment alone, as the Go
     * kubenurse is: {@code --help} prints where to read about it, any other argument is refused.
     */
    public int run(List<String> arguments) {
        if (arguments.equals(List.of("--help")) || arguments.equals(List.of("-h"))) {
            console.println(USAGE);
            return ExitStatus.OK;
        }
        if (!arguments.isEmpty()) {
            console.println("kubenurse: unexpected argument(s) " + LogValue.quote(String.join(" ", arguments))
                    + ": kubenurse takes none (--help tells more); exiting with status " + ExitStatus.CONFIG_ERROR);
            return ExitStatus.CONFIG_ERROR;
        }
        return run();
    }

    /** Runs until stopped; returns the exit status. */
    public int run() {
        long startedNanos = System.nanoTime();
        Config config;
        try {
            config = Config.fromEnvironment(environment, hostname);
        } catch (ConfigException invalid) {
            invalid.problems().forEach(console::println);
            console.println("kubenurse: " + invalid.problems().size() + " configuration error(s); exiting with status "
                    + ExitStatus.CONFIG_ERROR);
            return ExitStatus.CONFIG_ERROR;
        }
        if (System.LoggerFinder.getLoggerFinder() instanceof KeyValueLoggerFinder finder) {
            finder.threshold(config.logLevel());
        }
        LOG.log(Level.INFO, ConfigSummary.of(config));

        PrometheusRegistry registry = new PrometheusRegistry();
        // kept as long as the verdicts look back: their inbound evidence
        IncomingChecks incoming = IncomingChecks.register(registry,
                config.checks().interval().multipliedBy(config.verdicts().windowIntervals()));
        Shutdown shutdown = new Shutdown();
        NeighbourSource neighbours;
        try {
            neighbours = NeighbourSource.of(config);
        } catch (IllegalStateException cannotStart) {
            LOG.log(Level.ERROR, "event=discovery_failed error=" + LogValue.quote(cannotStart.getMessage()));
            console.println("kubenurse: " + cannotStart.getMessage() + "; exiting with status " + ExitStatus.FAILURE);
            return ExitStatus.FAILURE;
        }
        BooleanSupplier ownNodeReady = neighbours.ownNodeReady();
        neighbours.registerHealth(registry);
        HeapSoftLimit heap = HeapSoftLimit.start();
        NodeReports reports = config.localMode() ? NodeReports.none() : NodeReports.start(config);
        try (neighbours; heap; reports) {
            Checker checker = Checker.create(config, registry, neighbours::snapshot, incoming, reports);
            // a neighbour that becomes Ready is checked at once, not up to an interval later
            neighbours.onChange(checker::neighboursChanged);
            UdpProbe udp = UdpProbe.create(config, registry, neighbours.neighbours());
            Endpoints endpoints = new Endpoints(config.identity().podName(), checker::fresh, registry,
                    () -> shutdown.ready() && ownNodeReady.getAsBoolean(), incoming, neighbours.state(),
                    checker::victoriaMetricsHistograms, config.exposeMetadata(), udp::latest);
            StatusServer server;
            try {
                server = StatusServer.start(config.server(), endpoints);
            } catch (IOException cannotListen) {
                checker.close();
                return listenFailed(cannotListen);
            }
            try {
                udp.start();
            } catch (IOException cannotListen) {
                udp.close();
                checker.close();
                server.close();
                return listenFailed(cannotListen);
            }
            // closed in reverse order: the checks stop before the server, so no check finds its own server gone
            try (server; checker; udp) {
                shutdown.installSignalHandlers();
                // after the server is up (a kubelet probing /ready at once gets its answer), before the checks
                awaitFirstLists(neighbours);
                checker.start();
                LOG.log(Level.INFO, "event=started local_mode=" + config.localMode()
                        + " startup_ms_since_main=" + (System.nanoTime() - startedNanos) / 1_000_000);
                shutdown.awaitSignal();
                // not Ready from here on: the neighbours stop checking us, which is no inbound problem
                checker.leaving();
                LOG.log(Level.INFO, "event=shutdown_started ready=false drain="
                        + GoDuration.format(config.server().shutdownDuration()));
                shutdown.drain(config.server().shutdownDuration());
                LOG.log(Level.INFO, "event=stopping_checks");
            }
        }
        LOG.log(Level.INFO, "event=stopped");
        return ExitStatus.OK;
    }

    private int listenFailed(IOException cannotListen) {
        LOG.log(Level.ERROR, "event=listen_failed error=" + LogValue.quote(cannotListen.getMessage()));
        console.println("kubenurse: " + cannotListen.getMessage() + "; exiting with status " + ExitStatus.LISTEN_ERROR);
        return ExitStatus.LISTEN_ERROR;
    }

    /** The first cycle checks the neighbours when the API server lists them within FIRST_LISTS_WAIT. */
    private static void awaitFirstLists(NeighbourSource neighbours) {
        try {
            if (!neighbours.awaitFirstLists(FIRST_LISTS_WAIT)) {
                LOG.log(Level.INFO, "event=first_lists_pending waited=" + GoDuration.format(FIRST_LISTS_WAIT)
                        + " action=checking_without_neighbours_meanwhile");
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
