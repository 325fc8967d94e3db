package kubenurse.checks.internal.udp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kubenurse.checks.UdpPathResult;
import kubenurse.checks.UdpProbe;
import kubenurse.config.GoDuration;
import kubenurse.discovery.Neighbour;

/** The UDP probe switched on: the responder on the configured port and the prober on a port of its own. */
final class UdpProbing implements UdpProbe {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final int port;
    private final int probes;
    private final Duration interval;
    private final Supplier<List<Neighbour>> neighbours;
    private final UdpMetrics metrics;
    private final UdpRateLimit limit;
    private UdpResponder responder;
    private UdpProber prober;

    /** @param port where probes are answered and where the neighbours are probed (0 in tests: any free port) */
    UdpProbing(int port, int probes, Duration interval, Supplier<List<Neighbour>> neighbours, UdpMetrics metrics,
            UdpRateLimit limit) {
        this.port = port;
        this.probes = probes;
        this.interval = interval;
        this.neighbours = neighbours;
        this.metrics = metrics;
        this.limit = limit;
    }

    @Override
    public synchronized void start() throws IOException {
        if (responder != null) {
            throw new IllegalStateException("the UDP probe is started already");
        }
        DatagramChannel answering = DatagramChannel.open();
        try {
            answering.bind(new InetSocketAddress(port));
        } catch (BindException taken) {
            answering.close();
            throw new IOException("cannot listen on UDP port " + port + " (KUBENURSE_UDP_PORT): " + taken.getMessage(),
                    taken);
        }
        DatagramChannel probing;
        try {
            probing = DatagramChannel.open().bind(new InetSocketAddress(0));
        } catch (IOException failed) {
            answering.close();
            throw failed;
        }
        int answerPort = port == 0 ? ((InetSocketAddress) answering.getLocalAddress()).getPort() : port;
        responder = new UdpResponder(answering, limit);
        prober = new UdpProber(probing, answerPort, probes, interval, neighbours, metrics);
        responder.start();
        prober.start();
        LOG.log(Level.INFO, "event=udp_listening udp_port=" + answerPort + " probes_per_cycle=" + probes
                + " interval=" + GoDuration.format(interval));
    }

    @Override
    public Map<String, UdpPathResult> latest() {
        UdpProber started = prober();
        return started == null ? Map.of() : started.latest();
    }

    private synchronized UdpProber prober() {
        return prober;
    }

    /** The port probes are answered on, once started. */
    synchronized int port() throws IOException {
        return responder.port();
    }

    @Override
    public synchronized void close() {
        if (prober != null) {
            prober.close();
        }
        if (responder != null) {
            responder.close();
        }
    }
}
