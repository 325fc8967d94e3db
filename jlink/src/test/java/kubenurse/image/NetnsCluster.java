package kubenurse.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

/**
 * A cluster of network-namespace nodes (root and iproute2), each running the linked image as its kubenurse pod
 * (pod-a on node-a, ...) against a stub API server on the bridge, over HTTPS with a throwaway CA; cluster DNS is
 * a hosts entry. Closing it stops the pods, the API server and removes the namespaces.
 */
final class NetnsCluster implements AutoCloseable {

    static final String API_DNS = "kubernetes.default.svc.cluster.local";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    final NetworkNamespaces net = new NetworkNamespaces();
    final StubApiServer api;
    final List<Process> pods = new ArrayList<>();

    /** Starts {@code nodes} pods checking every {@code interval} (e.g. "1s"); each pod's output goes to dir/pod-N.log. */
    NetnsCluster(Path dir, int nodes, String interval) throws Exception {
        net.create(nodes, net.bridgeIp() + " " + API_DNS);
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:" + net.bridgeIp() + ",DNS:" + API_DNS);
        api = StubApiServer.start(TestCertificates.serverContext(cert),
                new InetSocketAddress(InetAddress.getByName(net.bridgeIp()), 6443));
        for (int n = 0; n < nodes; n++) {
            api.putNode(node(n), false, false);
            api.putPod("kube-system", pod(n), node(n), net.ip(n), "Running", LABELS, false);
        }
        for (int n = 0; n < nodes; n++) {
            Path serviceAccount = Files.createDirectories(dir.resolve("sa-" + pod(n)));
            Files.copy(ca.cert(), serviceAccount.resolve("ca.crt"));
            Files.writeString(serviceAccount.resolve("token"), "token-" + pod(n));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("KUBERNETES_SERVICE_HOST", net.bridgeIp());
            env.put("KUBERNETES_SERVICE_PORT", "6443");
            env.put("KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString());
            env.put("KUBENURSE_NAMESPACE", "kube-system");
            env.put("KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse");
            env.put("KUBENURSE_POD_NAME", pod(n));
            env.put("KUBENURSE_NODE_NAME", node(n));
            env.put("KUBENURSE_CHECK_INTERVAL", interval);
            pods.add(new ProcessBuilder(net.inNode(n, env, RunningImage.IMAGE.resolve("bin/kubenurse").toAbsolutePath().toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pod-" + n + ".log").toFile()).start());
        }
    }

    static String node(int n) {
        return "node-" + (char) ('a' + n);
    }

    static String pod(int n) {
        return "pod-" + (char) ('a' + n);
    }

    /** The base URL of pod {@code n}'s own server. */
    String url(int n) {
        return "http://" + net.ip(n) + ":8080";
    }

    /** The JVM of pod {@code n}: the process started, or the java it started. */
    ProcessHandle jvm(int n) {
        return LiveClients.jvm(pods.get(n).toHandle());
    }

    @Override
    public void close() {
        pods.forEach(Process::destroyForcibly);
        api.close();
        net.close();
    }
}
