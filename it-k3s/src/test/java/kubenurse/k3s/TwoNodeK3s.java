package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
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
import java.util.Arrays;
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
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A two-node k3s cluster in Docker: a server (which also runs pods) and an agent joined to it with a shared
 * token on a network of their own, both holding an image imported from the local Docker engine, with k3s'
 * own ingress controller (Traefik, service {@value #INGRESS_CONTROLLER}) for the me_ingress check. Each node has a
 * cgroup tree of its own (see {@link #ownCgroupRoot}). Pods'
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
    private static final String HOST_CGROUPS = "/sys/fs/cgroup";
    private static final String IMAGE_IN_NODE = "/tmp/kubenurse.tar";

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
                        "--node-name=" + SERVER_NODE)
                // after K3sContainer's own modifier (they run in the order added), which asks for the host's
                .withCreateContainerCmdModifier(cmd -> ownCgroupRoot(cmd.getHostConfig()));
        // what K3sContainer does for the server, for a node that only runs pods, with a cgroup root of its own too
        agent = new GenericContainer<>(K3S).withNetwork(network).withPrivilegedMode(true)
                .withCreateContainerCmdModifier(cmd -> ownCgroupRoot(cmd.getHostConfig()))
                .withTmpFs(Map.of("/run", "", "/var/run", ""))
                .withEnv("K3S_URL", "https://" + SERVER_NODE + ":6443").withEnv("K3S_TOKEN", TOKEN)
                .withCommand("agent", "--node-name=" + AGENT_NODE);
    }

    /**
     * Gives a node container a cgroup tree of its own, as k3d does: k3d runs its k3s nodes privileged, without the
     * host's /sys/fs/cgroup bound in, in the cgroup namespace Docker gives by default, a private one on a cgroup v2
     * host. K3sContainer instead asks for the host's namespace and binds the host's /sys/fs/cgroup read-write: two
     * such nodes see one tree, both kubelets (cgroupfs driver) make the same /kubepods at its root, and each takes
     * the other's pod cgroups for orphans to clean up. In a private namespace a node's /sys/fs/cgroup is its own
     * container cgroup (read-write, the container being privileged); k3s, PID 1 there, first moves itself into a
     * child cgroup "init" (k3s' EvacuateCgroup2, what k3d's cgroup v2 entrypoint did before k3s did it) so that
     * controllers can be enabled for its kubelet's /kubepods below. Set explicitly rather than left to Docker's
     * default: on a cgroup v1 host the default is the host's namespace, and private gives each node its own root
     * there too (kind runs its nodes so on both). Not a per-node --kubelet-arg=cgroup-root=/k3s-node: k3d does not,
     * and the nodes would still write the host's whole tree, their pods' cgroups outside the containers' own.
     */
    static HostConfig ownCgroupRoot(HostConfig host) {
        Bind[] binds = host.getBinds() == null ? new Bind[0] : host.getBinds();
        return host.withCgroupnsMode("private").withBinds(Arrays.stream(binds)
                .filter(bind -> !HOST_CGROUPS.equals(bind.getVolume().getPath())).toList());
    }

    /** Starts both nodes, waits until both are Ready, and imports {@code image} (from local Docker) into each. */
    void start(String image) throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        ImagePlatform platform = ImagePlatform.of(docker.inspectImageCmd(image).exec());
        Path tar = Files.createTempFile("kubenurse-image", ".tar");
        try (InputStream saved = docker.saveImageCmd(image).exec()) {
            Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        server.start();
        agent.start();
        Eventually.until("both nodes Ready", Duration.ofMinutes(3), Duration.ofSeconds(2),
                () -> kubectl("get", "nodes", "--sort-by=.metadata.name", "-o",
                        "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}"),
                (AGENT_NODE + "=True " + SERVER_NODE + "=True ")::equals);
        // a Ready node's containerd is up: import the image into each, as a registry-less cluster needs
        for (GenericContainer<?> node : List.of(server, agent)) {
            node.copyFileToContainer(MountableFile.forHostPath(tar), IMAGE_IN_NODE);
            exec(node, platform.ctrImport(IMAGE_IN_NODE).toArray(String[]::new));
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
        // a selector, not a name: before the Helm controller ran there is no deployment, and this still exits 0
        Eventually.until("k3s' Traefik with an available replica", Duration.ofMinutes(5), Duration.ofSeconds(2),
                () -> "'" + kubectl("-n", "kube-system", "get", "deployments", "-l", "app.kubernetes.io/name=traefik",
                        "-o", "jsonpath={.items[*].status.availableReplicas}").strip() + "'",
                available -> available.matches("'[1-9][0-9]*'"));
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
