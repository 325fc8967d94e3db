package kubenurse.discovery.internal;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import kubenurse.config.Config;
import kubenurse.discovery.Neighbour;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery against fabric8's kubernetes-server-mock in CRUD mode: a maintained fake API server with real
 * list and label selector semantics, filled through fabric8's own client. It serves watches only over
 * WebSocket and answers an HTTP watch with 400, so here changes arrive through the relist that follows
 * repeated watch failures; StubApiServer covers the HTTP watch itself. Its field selectors match only
 * metadata.name and metadata.namespace (spec.unschedulable=true selects nothing there, where a real API
 * server selects the cordoned nodes), so cordoning a neighbour's node is covered by StubApiServer, and our own
 * node's cordon (watched by name) here.
 */
class CrudMockDiscoveryTest {

    private static final WatchSettings FAST = new WatchSettings(500, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(40), Duration.ofMillis(50), Duration.ofMillis(400));

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesDiscovery discovery;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        Files.writeString(dir.resolve("ca.crt"), pemOfServerCertificate(server.getPort()));
        Files.writeString(dir.resolve("token"), "crud-token");
        for (String node : List.of("node-a", "node-b", "node-c")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        }
        for (String name : List.of("a", "b", "c")) {
            client.pods().inNamespace("kube-system").resource(pod("pod-" + name, "node-" + name, "10.0.0." + name.charAt(0),
                    "kubenurse")).create();
        }
        client.pods().inNamespace("kube-system").resource(pod("not-us", "node-b", "10.0.0.9", "other")).create();
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        client.close();
        server.destroy();
    }

    private static Pod pod(String name, String node, String ip, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("kube-system")
                .withLabels(Map.of("app.kubernetes.io/name", app)).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP("192.168.0.1").endStatus().build();
    }

    private List<String> neighbourNames() {
        return discovery.snapshot().neighbours().stream().map(Neighbour::podName).sorted().toList();
    }

    @Test
    void followsTheFakeApiServer() throws Exception {
        discovery = KubernetesDiscovery.start(Config.fromEnvironment(Map.of(
                "KUBERNETES_SERVICE_HOST", "localhost",
                "KUBERNETES_SERVICE_PORT", String.valueOf(server.getPort()),
                "KUBENURSE_SERVICEACCOUNT_DIR", dir.toString(),
                "KUBENURSE_NAMESPACE", "kube-system",
                "KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse",
                "KUBENURSE_POD_NAME", "pod-a"), "host"), FAST, Duration.ofMillis(50));
        waitFor("the two other kubenurse pods", () -> neighbourNames().equals(List.of("pod-b", "pod-c")));

        client.pods().inNamespace("kube-system").resource(pod("pod-b2", "node-b", "10.0.0.22", "kubenurse")).create();
        waitFor("surge pod", () -> neighbourNames().equals(List.of("pod-b", "pod-b2", "pod-c")));
        client.pods().inNamespace("kube-system").withName("pod-c").delete();
        waitFor("deleted pod gone", () -> neighbourNames().equals(List.of("pod-b", "pod-b2")));

        client.nodes().withName("node-a").edit(n -> new NodeBuilder(n).editOrNewSpec().withUnschedulable(true).endSpec().build());
        waitFor("own node cordoned: not ready", () -> !discovery.snapshot().ownNodeReady());
        assertTrue(server.getRequestCount() > 0);
    }

    /** The mock server's self-signed certificate, fetched from its handshake, to trust as ca.crt. */
    private static String pemOfServerCertificate(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            Certificate certificate = socket.getSession().getPeerCertificates()[0];
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        }
    }

    /** {@link Eventually} with this test's deadline (longer than {@link StubClusterAccess#waitFor}'s 10 s). */
    private static void waitFor(String what, BooleanSupplier condition) {
        Eventually.within(Duration.ofSeconds(15), what, condition::getAsBoolean, Boolean::booleanValue);
    }
}
