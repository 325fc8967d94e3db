package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import kubenurse.checks.UdpProbe;
import kubenurse.config.Config;
import org.junit.jupiter.api.Test;

class UdpProbeFactoryTest {

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** In a cluster, as far as the configuration goes: nothing here talks to the API server. */
    private static Config config(String checkUdp, int port) {
        return Config.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBENURSE_CHECK_UDP", checkUdp, "KUBENURSE_UDP_PORT", String.valueOf(port)), "pod-a");
    }

    /** Whether the port can be bound on every address, as the responder binds it. */
    private static boolean bindable(int port) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(port));
            return true;
        } catch (BindException taken) {
            return false;
        }
    }

    private static long udpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kubenurse-udp-")).count();
    }

    @Test
    void switchedOffItOpensNoSocketStartsNoThreadAndRegistersNoMetric() throws IOException {
        int port = freeUdpPort();
        PrometheusRegistry registry = new PrometheusRegistry();
        try (UdpProbe probe = UdpProbe.create(config("false", port), registry, List::of)) {
            probe.start();
            assertTrue(bindable(port), "port " + port + " bound although KUBENURSE_CHECK_UDP=false");
            assertEquals(0, udpThreads());
            assertEquals(Map.of(), probe.latest());
            assertTrue(registry.scrape().stream().noneMatch(s -> s.getMetadata().getName().startsWith("kubenurse_udp")));
        }
    }

    @Test
    void outsideAClusterItOpensNoSocket() throws IOException {
        int port = freeUdpPort();
        Config local = Config.fromEnvironment(Map.of("KUBENURSE_UDP_PORT", String.valueOf(port)), "pod-a");
        try (UdpProbe probe = UdpProbe.create(local, new PrometheusRegistry(), List::of)) {
            probe.start();
            assertTrue(bindable(port), "port " + port + " bound in local mode");
            assertEquals(0, udpThreads());
        }
    }

    @Test
    void switchedOnItHoldsThePortUntilClosed() throws IOException {
        int port = freeUdpPort();
        UdpProbe probe = UdpProbe.create(config("true", port), new PrometheusRegistry(), List::of);
        probe.start();
        try {
            assertTrue(!bindable(port), "answering on " + port);
            assertEquals(3, udpThreads(), "responder, receiver, schedule");
        } finally {
            probe.close();
        }
        assertTrue(bindable(port), "every socket closed");
        assertEquals(0, udpThreads(), "every thread ended");
    }

    @Test
    void aTakenPortIsAnErrorNamingPortAndVariable() throws IOException {
        try (DatagramChannel taken = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            int port = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            try (UdpProbe probe = UdpProbe.create(config("true", port), new PrometheusRegistry(), List::of)) {
                IOException e = assertThrows(IOException.class, probe::start);
                assertTrue(e.getMessage().startsWith("cannot listen on UDP port " + port + " (KUBENURSE_UDP_PORT): "),
                        e.getMessage());
            }
        }
        assertEquals(0, udpThreads());
    }

    /**
     * Every configuration's own probes pass its neighbours' limits, cycle after cycle: the most a setting allows,
     * 1,000 probes in the first half of a 300 ms interval, for three intervals.
     */
    @Test
    void theRateLimitLetsTheConfiguredProbesThrough() {
        UdpRateLimit limit = UdpProbeFactory.rateLimit(1000, 0.3);
        InetAddress neighbour = InetAddress.ofLiteral("10.0.0.1");
        long interval = 300_000_000L;
        long spacing = interval / 2 / 1000;
        for (int cycle = 0; cycle < 3; cycle++) {
            for (int i = 0; i < 1000; i++) {
                assertTrue(limit.allow(neighbour, cycle * interval + i * spacing), "cycle " + cycle + " probe " + i);
            }
        }
    }
}
