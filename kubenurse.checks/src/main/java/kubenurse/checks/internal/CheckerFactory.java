package kubenurse.checks.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import kubenurse.checks.Checker;
import kubenurse.checks.HeardCheckers;
import kubenurse.checks.internal.verdict.Verdicts;
import kubenurse.discovery.NodeReports;
import kubenurse.checks.internal.http.CheckTransport;
import kubenurse.checks.internal.http.CheckTrust;
import kubenurse.checks.internal.http.Connections;
import kubenurse.checks.internal.http.GoProxySelector;
import kubenurse.config.Config;
import kubenurse.config.ServiceAccount;
import kubenurse.discovery.Neighbours;

/** Wires the real checks from the configuration: their trust, proxies, transports, plan and metrics. */
public final class CheckerFactory {

    private CheckerFactory() {
    }

    public static Checker create(Config config, PrometheusRegistry registry, Supplier<Neighbours> neighbours,
            HeardCheckers heard, NodeReports reports) {
        ExecutorService clientWork = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubenurse-http-client-", 0).factory());
        ServiceAccount account = ServiceAccount.of(config);
        SSLContext verifying = CheckTrust.sslContext(false, account, config.checks().systemTrust());
        GoProxySelector proxy = new GoProxySelector(config.proxy());
        Connections reuse = Connections.of(config.checks().reuseConnections());
        CheckTransport.logHowConnectionsAreMade(reuse);
        CheckTransport transport = config.checks().insecure()
                ? new CheckTransport(CheckTrust.sslContext(true, account, config.checks().systemTrust()),
                        proxy, reuse, clientWork)
                : new CheckTransport(verifying, proxy, reuse, clientWork);
        // the serviceaccount token goes only over TLS verified against ca.crt, whatever KUBENURSE_INSECURE says:
        // an impostor of the API server must not collect it (Go sends it wherever INSECURE lets it connect)
        CheckTransport apiServerTransport = config.checks().insecure()
                ? new CheckTransport(verifying, proxy, reuse, clientWork)
                : transport;
        CheckPlan plan = new CheckPlan(config, transport, apiServerTransport, account);
        CheckMetrics metrics = new CheckMetrics(registry, config.checks().histogramBuckets(),
                config.victoriaMetricsHistogram());
        Verdicts verdicts = Verdicts.register(config, heard, reports, registry);
        return new ScheduledChecker(plan::checks, neighbours, config.checks().interval(), metrics, verdicts, departed -> {
            transport.forget(departed.keys());
            apiServerTransport.forget(departed.keys());
        }, List.of(transport, apiServerTransport, clientWork::shutdownNow));
    }
}
