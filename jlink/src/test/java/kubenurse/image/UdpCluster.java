package kubenurse.image;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

/**
 * The UDP accuracy suite's cluster: three namespace "nodes" on a bridge of their own (a subnet no other bridge
 * of this machine holds), the real image on each, a stub API server, and the last node's pod IP, as the others
 * see it, on the bridge: a {@link UdpFaultRelay} for the UDP probe and a {@link DelayingRelay} (no delay) for
 * the HTTP path checks. The faulty node itself probes the others directly. {@link #close()} removes it all.
 */
final class UdpCluster implements AutoCloseable {

    static final int NODES = 3;
    static final int FAULTY = NODES - 1;
    private static final String API_DNS = "kubernetes.default.svc.cluster.local";
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    private final Path dir;
    private final NetworkNamespaces net;
    private final List<Process> pods = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private StubApiServer api;
    private UdpFaultRelay relay;
    private DelayingRelay tcpRelay;
    private int udpPort;

    private UdpCluster(Path dir, NetworkNamespaces net) {
        this.dir = dir;
        this.net = net;
    }

    /** Starts it all; {@code interval} and {@code probes} go to every pod. */
    static UdpCluster start(Path dir, Duration interval, int probes, long seed) throws Exception {
        UdpCluster cluster = new UdpCluster(dir, ownNetwork());
        try {
            cluster.startAll(interval, probes, seed);
            return cluster;
        } catch (Exception | AssertionError failed) {
            cluster.close();
            throw failed;
        }
    }

    /**
     * Namespaces whose subnet no address of this machine is in yet: NetworkNamespaces picks one of 100 at random,
     * and another suite (NetnsClusterIT) may be running beside this one.
     */
    private static NetworkNamespaces ownNetwork() throws Exception {
        for (int attempt = 1; ; attempt++) {
            NetworkNamespaces candidate = new NetworkNamespaces();
            String inUse = NetworkNamespaces.run(true, "ip", "-o", "-4", "addr", "show");
            if (!inUse.contains("inet " + prefix(candidate))) {
                try {
                    candidate.create(NODES, candidate.bridgeIp() + " " + API_DNS);
                    return candidate;
                } catch (IOException nameTaken) {
                    if (attempt >= 5) {
                        candidate.close();
                        throw nameTaken;
                    }
                }
            }
            candidate.close();
        }
    }

    private static String prefix(NetworkNamespaces net) {
        return net.bridgeIp().substring(0, net.bridgeIp().lastIndexOf('.') + 1);
    }

    /** Where the others believe the faulty node's pod is. */
    String relayIp() {
        return prefix(net) + "31";
    }

    /** The address the UDP relay forwards node {@code n}'s probes from: one per client, as the real senders. */
    private InetAddress upstreamFor(InetAddress client) {
        String ip = client.getHostAddress();
        int last = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
        return address(prefix(net) + (41 + last - 11));
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException notAnAddress) {
            throw new IllegalArgumentException(ip, notAnAddress);
        }
    }

    private void startAll(Duration interval, int probes, long seed) throws Exception {
        for (String ip : List.of(relayIp(), prefix(net) + "41", prefix(net) + "42")) {
            NetworkNamespaces.run(true, "ip", "addr", "add", ip + "/24", "dev", net.bridge());
        }
        // one UDP port for all pods, free on the relay's address in this namespace (the pods' own are empty)
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(address(relayIp()), 0))) {
            udpPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        relay = new UdpFaultRelay(new InetSocketAddress(address(relayIp()), udpPort),
                new InetSocketAddress(net.ip(FAULTY), udpPort), this::upstreamFor, seed);
        try {
            tcpRelay = new DelayingRelay(address(relayIp()), 8080, new InetSocketAddress(net.ip(FAULTY), 8080));
        } catch (java.net.BindException taken) {
            // the UDP figures do not need it: only the HTTP path checks to the faulty node fail then
            System.out.println("udp accuracy: no TCP relay (port 8080 taken on every address here): " + taken);
        }
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:" + net.bridgeIp() + ",DNS:" + API_DNS);
        api = StubApiServer.start(TestCertificates.serverContext(cert), new InetSocketAddress(address(net.bridgeIp()), 6443));
        for (int n = 0; n < NODES; n++) {
            api.putNode(node(n), false, false);
            api.putPod("kube-system", "pod-" + node(n), node(n), n == FAULTY ? relayIp() : net.ip(n), "Running", LABELS, false);
        }
        for (int n = 0; n < NODES; n++) {
            pods.add(startPod(n, ca.cert(), interval, probes));
        }
    }

    private Process startPod(int n, Path caCert, Duration interval, int probes) throws IOException {
        Path serviceAccount = dir.resolve("sa-" + n);
        Files.createDirectories(serviceAccount);
        Files.copy(caCert, serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "token-" + n);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBERNETES_SERVICE_HOST", net.bridgeIp());
        env.put("KUBERNETES_SERVICE_PORT", "6443");
        env.put("KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString());
        env.put("KUBENURSE_NAMESPACE", "kube-system");
        env.put("KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse");
        env.put("KUBENURSE_POD_NAME", "pod-" + node(n));
        env.put("KUBENURSE_NODE_NAME", node(n));
        env.put("KUBENURSE_CHECK_INTERVAL", interval.toMillis() + "ms");
        env.put("KUBENURSE_UDP_PORT", String.valueOf(udpPort));
        env.put("KUBENURSE_UDP_PROBES", String.valueOf(probes));
        return new ProcessBuilder(net.inNode(n, env, RunningImage.IMAGE.resolve("bin/kubenurse").toAbsolutePath().toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pod-" + n + ".log").toFile()))
                .start();
    }

    static String node(int n) {
        return "node-" + (char) ('a' + n);
    }

    static String path(int n) {
        return "path_" + node(n);
    }

    UdpFaultRelay relay() {
        return relay;
    }

    /** Node {@code n}'s address, as the relay sees it when node n is its client. */
    InetAddress ip(int n) {
        return address(net.ip(n));
    }

    HttpResponse<String> get(int n, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://" + net.ip(n) + ":8080" + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException notYet) {
            return null;
        }
    }

    /** /alive's "udp" object of node {@code n}, or null while it does not answer. */
    JsonObject udp(int n) {
        HttpResponse<String> response = get(n, "/alive");
        if (response == null || response.statusCode() != 200) {
            return null;
        }
        JsonObject alive = Json.parse(response.body()).asObject();
        return alive.get("udp") == null ? null : alive.get("udp").asObject();
    }

    /** Every sample of node {@code n}'s /metrics: "name{labels}" to value. */
    Map<String, Double> metrics(int n) {
        HttpResponse<String> response = get(n, "/metrics");
        if (response == null || response.statusCode() != 200) {
            throw new AssertionError("no /metrics from " + node(n) + logs());
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        Matcher m = SAMPLE.matcher(response.body());
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }

    private static final Pattern SAMPLE = Pattern.compile("(?m)^(kubenurse_udp_[a-z_]+\\{[^}]*\\}) (\\S+)");

    /** A kubenurse_udp_* sample of one path, 0 when absent (a counter not yet made). */
    static double sample(Map<String, Double> metrics, String name, String type) {
        return metrics.getOrDefault(name + "{type=\"" + type + "\"}", 0.0);
    }

    String logs() {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < NODES; n++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("pod-" + n + ".log"));
                out.append("\n--- ").append(node(n)).append(" (last lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())));
            } catch (IOException none) {
                // not started
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        pods.forEach(Process::destroyForcibly);
        for (AutoCloseable closing : new AutoCloseable[] {relay, tcpRelay, api}) {
            try {
                if (closing != null) {
                    closing.close();
                }
            } catch (Exception ignored) {
                // the namespaces and the bridge (with the relays' addresses) go next in any case
            }
        }
        net.close();
    }
}
