package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.BindMode;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A two-node k3s cluster in Docker: a server (which also runs pods) and an agent joined to it with a shared
 * token on a network of their own, both holding an image imported from the local Docker engine, with k3s'
 * own ingress controller (Traefik, service {@value #INGRESS_CONTROLLER}) for the me_ingress check. Pods'
 * endpoints are read with a real HTTP client through the API server's pod proxy, so a test sees the status
 * code and body kubenurse sent, never a kubectl message about them.
 */
final class TwoNodeK3s implements AutoCloseable {

    static final String SERVER_NODE = "k3s-server";
    static final String AGENT_NODE = "k3s-agent";
    private static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");
    private static final String TOKEN = "kubenurse-it-join-token";
    /** k3s' Traefik as pods reach it, the me_ingress target of upstream's e2e (there: ingress-nginx's service). */
    static final String INGRESS_CONTROLLER = "traefik.kube-system.svc.cluster.local";

    private final Network network = Network.newNetwork();
    private final K3sContainer server;
    private final GenericContainer<?> agent;
    private HttpClient http;
    private String bearer;

    TwoNodeK3s() {
        server = new K3sContainer(K3S);
        server.withNetwork(network).withNetworkAliases(SERVER_NODE).withEnv("K3S_TOKEN", TOKEN)
                // the agent reaches the server by its alias, so the server's certificate must name it
                .withCommand("server", "--tls-san=" + server.getHost(), "--tls-san=" + SERVER_NODE,
                        "--node-name=" + SERVER_NODE);
        // what K3sContainer does for the server, for a node that only runs pods
        agent = new GenericContainer<>(K3S).withNetwork(network).withPrivilegedMode(true)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("host"))
                .withFileSystemBind("/sys/fs/cgroup", "/sys/fs/cgroup", BindMode.READ_WRITE)
                .withTmpFs(Map.of("/run", "", "/var/run", ""))
                .withEnv("K3S_URL", "https://" + SERVER_NODE + ":6443").withEnv("K3S_TOKEN", TOKEN)
                .withCommand("agent", "--node-name=" + AGENT_NODE);
    }

    /** Starts both nodes, waits until both are Ready, and imports {@code image} (from local Docker) into each. */
    void start(String image) throws Exception {
        Path tar = Files.createTempFile("kubenurse-image", ".tar");
        try (InputStream saved = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
            Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        server.start();
        agent.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String ready = "";
        while (!ready.equals(AGENT_NODE + "=True " + SERVER_NODE + "=True ")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("both nodes Ready within 3 min; last seen: " + ready);
            }
            Thread.sleep(2000);
            ready = kubectl("get", "nodes", "--sort-by=.metadata.name", "-o",
                    "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}");
        }
        // a Ready node's containerd is up: import the image into each, as a registry-less cluster needs
        for (GenericContainer<?> node : List.of(server, agent)) {
            node.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/kubenurse.tar");
            exec(node, "ctr", "-n", "k8s.io", "images", "import", "/tmp/kubenurse.tar");
        }
        Files.delete(tar);
        // a client of its own for the pod proxy: a service account token, trusting the cluster's CA
        kubectl("-n", "default", "create", "serviceaccount", "it-prober");
        kubectl("create", "clusterrolebinding", "it-prober", "--clusterrole=cluster-admin",
                "--serviceaccount=default:it-prober");
        bearer = kubectl("-n", "default", "create", "token", "it-prober", "--duration=2h").strip();
        http = HttpClient.newBuilder().sslContext(trusting(caOf(server.getKubeConfigYaml())))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    void copyToServer(MountableFile file, String path) {
        server.copyFileToContainer(file, path);
    }

    String kubeConfigYaml() {
        return server.getKubeConfigYaml();
    }

    /** Runs kubectl on the server node; fails the test unless it exits 0. */
    String kubectl(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "kubectl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return exec(server, command);
    }

    /** Node name to pod name, for the Running pods of a selector that are not being deleted. */
    Map<String, String> podsByNode(String namespace, String selector) throws Exception {
        String lines = kubectl("-n", namespace, "get", "pods", "-l", selector, "--field-selector=status.phase=Running",
                "-o", "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}");
        Map<String, String> pods = new LinkedHashMap<>();
        for (String line : lines.strip().split("\n")) {
            // a third field is a deletionTimestamp: a pod of the old rollout, still draining
            String[] nodeAndPod = line.strip().split(" ");
            if (nodeAndPod.length == 2) {
                pods.put(nodeAndPod[0], nodeAndPod[1]);
            }
        }
        return pods;
    }

    /** Waits until k3s' Traefik (installed by k3s' own Helm controller after start) has an available pod. */
    void awaitIngressController() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        String available = "";
        while (!available.matches("[1-9][0-9]*")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("k3s' Traefik available within 5 min; available replicas: '" + available + "'");
            }
            Thread.sleep(2000);
            // a selector, not a name: before the Helm controller ran there is no deployment, and this still exits 0
            available = kubectl("-n", "kube-system", "get", "deployments", "-l", "app.kubernetes.io/name=traefik", "-o",
                    "jsonpath={.items[*].status.availableReplicas}").strip();
        }
    }

    /** Pod name to the restarts of its containers, for every pod of a selector (old ones of a rollout too). */
    Map<String, Integer> restarts(String namespace, String selector) throws Exception {
        String lines = kubectl("-n", namespace, "get", "pods", "-l", selector, "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[*].restartCount}{\"\\n\"}{end}");
        Map<String, Integer> restarts = new LinkedHashMap<>();
        for (String line : lines.strip().split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields[0].isEmpty()) {
                continue;
            }
            int sum = 0;
            for (int i = 1; i < fields.length; i++) {
                sum += Integer.parseInt(fields[i]);
            }
            restarts.put(fields[0], sum);
        }
        return restarts;
    }

    /** What the pod's container wrote to stdout and stderr since it started. */
    String logs(String namespace, String pod) throws Exception {
        return kubectl("-n", namespace, "logs", pod);
    }

    /** The name of the one DaemonSet a selector finds (the chart's name depends on the release). */
    String daemonSet(String namespace, String selector) throws Exception {
        String names = kubectl("-n", namespace, "get", "daemonsets", "-l", selector, "-o",
                "jsonpath={.items[*].metadata.name}").strip();
        assertEquals(1, names.split(" ").length, "one DaemonSet for " + selector + " in " + namespace + ": " + names);
        return names;
    }

    /** GET of a pod's port 8080 through the API server's pod proxy: the pod's own status code and body. */
    HttpResponse<String> get(String namespace, String pod, String path) throws Exception {
        URI uri = URI.create("https://" + server.getHost() + ":" + server.getMappedPort(K3sContainer.KUBE_SECURE_PORT)
                + "/api/v1/namespaces/" + namespace + "/pods/" + pod + ":8080/proxy" + path);
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String exec(GenericContainer<?> node, String... command) throws Exception {
        Container.ExecResult result = node.execInContainer(command);
        assertEquals(0, result.getExitCode(), String.join(" ", command) + ": " + result.getStdout() + result.getStderr());
        return result.getStdout();
    }

    private static String caOf(String kubeConfig) {
        Matcher m = Pattern.compile("certificate-authority-data:\\s*(\\S+)").matcher(kubeConfig);
        if (!m.find()) {
            throw new IllegalStateException("no certificate-authority-data in the k3s kubeconfig");
        }
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.US_ASCII);
    }

    private static SSLContext trusting(String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("k3s-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls;
    }

    @Override
    public void close() {
        agent.stop();
        server.stop();
        network.close();
    }
}
