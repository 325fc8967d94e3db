package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.marcnuri.helm.Helm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * kubenurse in a real two-node k3s (a server and an agent, see {@link TwoNodeK3s}): the image is built from
 * deploy/Dockerfile, imported into both nodes without a registry, installed with kubectl apply -k and with
 * Helm; then the upstream end-to-end criterion: all checks ok, the path to the other node's pod among them,
 * and kubenurse_errors_total zero, also across a rolling restart; a cordoned node's pod answers /ready with
 * 503. Every assertion reads what kubenurse itself answered (status code and body, through the API server's
 * pod proxy). Needs Docker: without it every test is skipped, saying why.
 *
 * <p>Run: {@code ./mvnw -B verify -pl it-k3s -am} on a machine with a Docker engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "dockerAvailable", disabledReason = "no Docker engine available here: the k3s cluster suite needs one "
        + "(run ./mvnw -B verify -pl it-k3s -am where Docker runs)")
class K3sClusterIT {

    private static final Path ROOT = Path.of(System.getProperty("kubenurse.root", "..")).toAbsolutePath().normalize();
    private static final String IMAGE = "docker.io/library/kubenurse:it";
    private static final String KUBECTL_SELECTOR = "app.kubernetes.io/name=kubenurse";
    private static final String HELM_SELECTOR = "app.kubernetes.io/instance=nurse";
    private static final Pattern ERRORS = Pattern.compile("(?m)^kubenurse_errors_total\\{[^}]*\\} (\\S+)$");
    private static final Set<String> NODES = Set.of(TwoNodeK3s.SERVER_NODE, TwoNodeK3s.AGENT_NODE);

    private static TwoNodeK3s k3s;

    static boolean dockerAvailable() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            System.out.println("K3sClusterIT skipped: no Docker engine is available here (Testcontainers found none); "
                    + "run ./mvnw -B verify -pl it-k3s -am where Docker runs");
        }
        return docker;
    }

    @BeforeAll
    // withDockerfilePath: its replacement, withDockerfile(Path), names a Dockerfile on the host instead of one
    // inside the build context; this test needs Docker, so it keeps the form it was last run with
    @SuppressWarnings("deprecation")
    static void cluster() throws Exception {
        // the whole repository is the build context, as for `docker build -f deploy/Dockerfile .`
        new ImageFromDockerfile(IMAGE, false)
                .withFileFromPath(".", ROOT)
                .withDockerfilePath("deploy/Dockerfile")
                .get();
        k3s = new TwoNodeK3s();
        k3s.start(IMAGE);
    }

    @AfterAll
    static void stop() {
        if (k3s != null) {
            k3s.close();
        }
    }

    @Test
    @Order(1)
    void installedWithKubectlAllChecksOkOnBothNodesAndNoErrors() throws Exception {
        Path overlay = Files.createTempDirectory("k3s-overlay");
        Files.copy(Path.of(K3sClusterIT.class.getResource("/k3s-overlay/kustomization.yaml").toURI()),
                overlay.resolve("kustomization.yaml"));
        Path base = Files.createDirectories(overlay.resolve("base"));
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/kustomize/base"))) {
            for (Path file : files.toList()) {
                Files.copy(file, base.resolve(file.getFileName()));
            }
        }
        k3s.copyToServer(MountableFile.forHostPath(overlay), "/tmp/overlay"); // kubectl runs on the server node
        k3s.kubectl("apply", "-k", "/tmp/overlay");
        k3s.kubectl("-n", "kube-system", "rollout", "status", "ds/kubenurse", "--timeout=300s");
        allChecksOkWithoutErrors("kube-system", KUBECTL_SELECTOR, "after install");
    }

    @Test
    @Order(2)
    void rollingRestartRaisesNoFalseAlarm() throws Exception {
        k3s.kubectl("-n", "kube-system", "rollout", "restart", "ds/kubenurse");
        k3s.kubectl("-n", "kube-system", "rollout", "status", "ds/kubenurse", "--timeout=300s");
        Thread.sleep(10_000); // a few check cycles of the new pods, each with the other node's new pod
        allChecksOkWithoutErrors("kube-system", KUBECTL_SELECTOR, "after a rollout restart");
    }

    @Test
    @Order(3)
    void aCordonedNodesPodIsNotReadyAndTheOtherStaysReady() throws Exception {
        Map<String, String> pods = podsOnBothNodes("kube-system", KUBECTL_SELECTOR);
        String cordoned = pods.get(TwoNodeK3s.AGENT_NODE);
        String other = pods.get(TwoNodeK3s.SERVER_NODE);
        k3s.kubectl("cordon", TwoNodeK3s.AGENT_NODE);
        try {
            awaitReady("kube-system", cordoned, 503, "not ready\n");
            HttpResponse<String> ready = k3s.get("kube-system", other, "/ready");
            assertEquals(200, ready.statusCode(), "the uncordoned node's pod: " + ready.body());
        } finally {
            k3s.kubectl("uncordon", TwoNodeK3s.AGENT_NODE);
        }
        awaitReady("kube-system", cordoned, 200, "ready\n");
    }

    @Test
    @Order(4)
    void installedWithHelmAllChecksOkOnBothNodes() throws Exception {
        new Helm(ROOT.resolve("deploy/helm/kubenurse")).install()
                .withName("nurse").withNamespace("helm-it").createNamespace()
                .withKubeConfigContents(k3s.kubeConfigYaml())
                .set("daemonset.image.repository", "docker.io/library/kubenurse")
                .set("daemonset.image.tag", "it")
                .set("daemonset.containerImagePullPolicy", "Never")
                .set("ingress.enabled", false)
                .set("check_me_ingress", false)
                .set("neighbour_filter", HELM_SELECTOR)
                .waitReady().withTimeout(300)
                .call();
        allChecksOkWithoutErrors("helm-it", HELM_SELECTOR, "after a Helm install");
    }

    /** Each node's pod: API server, DNS, service and the path to the other node's pod ok; no error counted. */
    private static void allChecksOkWithoutErrors(String namespace, String selector, String when) throws Exception {
        Map<String, String> pods = podsOnBothNodes(namespace, selector);
        for (Map.Entry<String, String> pod : pods.entrySet()) {
            String otherNode = NODES.stream().filter(n -> !n.equals(pod.getKey())).findFirst().orElseThrow();
            JsonObject alive = awaitAllOk(namespace, pod.getValue(), "path_" + otherNode);
            for (String check : new String[] {"api_server_direct", "api_server_dns", "me_service"}) {
                assertEquals("ok", alive.getString(check, null), check + " of " + pod.getValue() + " " + when + ": " + alive);
            }
            assertEquals("ok", alive.get("last_check_result").asObject().getString("path_" + otherNode, null),
                    "path_" + otherNode + " of " + pod.getValue() + " " + when + ": " + alive);
            assertEquals(0.0, errors(namespace, pod.getValue()), "kubenurse_errors_total of " + pod.getValue() + " " + when);
        }
    }

    private static Map<String, String> podsOnBothNodes(String namespace, String selector) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, String> pods = k3s.podsByNode(namespace, selector);
        while (!pods.keySet().equals(NODES)) {
            assertTrue(System.nanoTime() < deadline, "one Running kubenurse pod on each of " + NODES + ": " + pods);
            Thread.sleep(2000);
            pods = k3s.podsByNode(namespace, selector);
        }
        return pods;
    }

    /** /alive once it answers 200 with the path check to the other node among its results, all ok. */
    private static JsonObject awaitAllOk(String namespace, String pod, String pathCheck) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = k3s.get(namespace, pod, "/alive");
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == 200) {
                JsonObject alive = Json.parse(response.body()).asObject();
                JsonObject results = alive.get("last_check_result").asObject();
                boolean allOk = results.get(pathCheck) != null;
                for (JsonObject.Member check : results) {
                    allOk &= check.getValue().isString() && Set.of("ok", "skipped").contains(check.getValue().asString());
                }
                if (allOk) {
                    return alive;
                }
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("/alive of " + pod + " never had every check ok, " + pathCheck + " among them: " + last);
    }

    /** Until /ready answers {@code status} with kubenurse's own {@code body} (not an API server error page). */
    private static void awaitReady(String namespace, String pod, int status, String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = k3s.get(namespace, pod, "/ready");
            last = response.statusCode() + " " + response.body();
            if (response.statusCode() == status && response.body().equals(body)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("/ready of " + pod + " never answered " + status + " " + body.strip() + "; last: " + last);
    }

    private static double errors(String namespace, String pod) throws Exception {
        HttpResponse<String> response = k3s.get(namespace, pod, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("kubenurse_httpclient_requests_total"), response.body());
        double sum = 0;
        Matcher m = ERRORS.matcher(response.body());
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
