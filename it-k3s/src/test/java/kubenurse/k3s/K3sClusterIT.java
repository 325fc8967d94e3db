package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.marcnuri.helm.Helm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
import org.testcontainers.containers.Container;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * kubenurse in a real single-node k3s: the image is built from deploy/Dockerfile, imported into k3s
 * without a registry (docker save, then ctr images import), installed with kubectl apply -k and with Helm;
 * then the upstream end-to-end criterion: all checks ok and kubenurse_errors_total zero, also across a
 * rolling restart; a cordon makes /ready 503. Needs Docker: without it every test is skipped, saying why.
 *
 * <p>Run: {@code ./mvnw -B verify -pl it-k3s -am} on a machine with a Docker engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "dockerAvailable", disabledReason = "no Docker engine available here: the k3s cluster suite needs one "
        + "(run ./mvnw -B verify -pl it-k3s -am where Docker runs)")
class K3sClusterIT {

    private static final Path ROOT = Path.of(System.getProperty("kubenurse.root", "..")).toAbsolutePath().normalize();
    private static final String IMAGE = "docker.io/library/kubenurse:it";
    private static final Pattern ERRORS = Pattern.compile("(?m)^kubenurse_errors_total\\{[^}]*\\} (\\S+)$");

    private static K3sContainer k3s;

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
        Path tar = Files.createTempFile("kubenurse-image", ".tar");
        try (InputStream saved = DockerClientFactory.instance().client().saveImageCmd(IMAGE).exec()) {
            Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
        k3s.start();
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/kubenurse.tar");
        exec("ctr", "-n", "k8s.io", "images", "import", "/tmp/kubenurse.tar");
    }

    @AfterAll
    static void stop() {
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    @Order(1)
    void installedWithKubectlAllChecksOkAndNoErrors() throws Exception {
        Path overlay = Files.createTempDirectory("k3s-overlay");
        Files.copy(Path.of(K3sClusterIT.class.getResource("/k3s-overlay/kustomization.yaml").toURI()),
                overlay.resolve("kustomization.yaml"));
        Path base = Files.createDirectories(overlay.resolve("base"));
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/kustomize/base"))) {
            for (Path file : files.toList()) {
                Files.copy(file, base.resolve(file.getFileName()));
            }
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(overlay), "/tmp/overlay");
        exec("kubectl", "apply", "-k", "/tmp/overlay");
        exec("kubectl", "-n", "kube-system", "rollout", "status", "ds/kubenurse", "--timeout=300s");
        String pod = onlyPod("kube-system", "app.kubernetes.io/name=kubenurse");
        JsonObject alive = awaitAlive("kube-system", pod);
        assertEquals("ok", alive.getString("api_server_direct", null), alive.toString());
        assertEquals("ok", alive.getString("api_server_dns", null), alive.toString());
        assertEquals("ok", alive.getString("me_service", null), alive.toString());
        assertEquals(0.0, errors("kube-system", pod), "kubenurse_errors_total after install");
    }

    @Test
    @Order(2)
    void rollingRestartRaisesNoFalseAlarm() throws Exception {
        exec("kubectl", "-n", "kube-system", "rollout", "restart", "ds/kubenurse");
        exec("kubectl", "-n", "kube-system", "rollout", "status", "ds/kubenurse", "--timeout=300s");
        String pod = onlyPod("kube-system", "app.kubernetes.io/name=kubenurse");
        awaitAlive("kube-system", pod);
        Thread.sleep(10_000);
        assertEquals(0.0, errors("kube-system", pod), "kubenurse_errors_total after a rollout restart");
    }

    @Test
    @Order(3)
    void cordoningTheNodeMakesItNotReady() throws Exception {
        String node = exec("kubectl", "get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").strip();
        String pod = onlyPod("kube-system", "app.kubernetes.io/name=kubenurse");
        exec("kubectl", "cordon", node);
        try {
            awaitReadyStatus("kube-system", pod, 503);
        } finally {
            exec("kubectl", "uncordon", node);
        }
        awaitReadyStatus("kube-system", pod, 200);
    }

    @Test
    @Order(4)
    void installedWithHelmAllChecksOk() throws Exception {
        new Helm(ROOT.resolve("deploy/helm/kubenurse")).install()
                .withName("nurse").withNamespace("helm-it").createNamespace()
                .withKubeConfigContents(k3s.getKubeConfigYaml())
                .set("daemonset.image.repository", "docker.io/library/kubenurse")
                .set("daemonset.image.tag", "it")
                .set("daemonset.containerImagePullPolicy", "Never")
                .set("ingress.enabled", false)
                .set("check_me_ingress", false)
                .set("neighbour_filter", "app.kubernetes.io/instance=nurse")
                .waitReady().withTimeout(300)
                .call();
        String pod = onlyPod("helm-it", "app.kubernetes.io/instance=nurse");
        JsonObject alive = awaitAlive("helm-it", pod);
        assertEquals("ok", alive.getString("api_server_direct", null), alive.toString());
        assertEquals("ok", alive.getString("api_server_dns", null), alive.toString());
        assertEquals("ok", alive.getString("me_service", null), alive.toString());
        assertEquals(0.0, errors("helm-it", pod));
    }

    private static String onlyPod(String namespace, String selector) throws Exception {
        String names = exec("kubectl", "-n", namespace, "get", "pods", "-l", selector,
                "--field-selector=status.phase=Running", "-o", "jsonpath={.items[*].metadata.name}").strip();
        List<String> pods = List.of(names.split("\\s+"));
        assertEquals(1, pods.size(), "one node, one kubenurse pod: " + names);
        return pods.getFirst();
    }

    /** A pod's endpoint through the API server's pod proxy: distroless has no shell or curl. */
    private static String proxy(String namespace, String pod, String path) throws Exception {
        return exec("kubectl", "get", "--raw", "/api/v1/namespaces/" + namespace + "/pods/" + pod + ":8080/proxy" + path);
    }

    private static JsonObject awaitAlive(String namespace, String pod) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Container.ExecResult result = k3s.execInContainer("kubectl", "get", "--raw",
                    "/api/v1/namespaces/" + namespace + "/pods/" + pod + ":8080/proxy/alive");
            last = result.getStdout() + result.getStderr();
            if (result.getExitCode() == 0) {
                return Json.parse(result.getStdout()).asObject();
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("/alive of " + pod + " never answered 200: " + last);
    }

    private static void awaitReadyStatus(String namespace, String pod, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Container.ExecResult result = k3s.execInContainer("kubectl", "get", "--raw",
                    "/api/v1/namespaces/" + namespace + "/pods/" + pod + ":8080/proxy/ready");
            boolean ok = result.getExitCode() == 0;
            if ((status == 200 && ok) || (status == 503 && !ok && result.getStderr().contains("503"))) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("/ready of " + pod + " never answered " + status);
    }

    private static double errors(String namespace, String pod) throws Exception {
        String metrics = proxy(namespace, pod, "/metrics");
        assertTrue(metrics.contains("kubenurse_httpclient_requests_total"), metrics);
        double sum = 0;
        Matcher m = ERRORS.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static String exec(String... command) throws Exception {
        Container.ExecResult result = k3s.execInContainer(command);
        assertEquals(0, result.getExitCode(), String.join(" ", command) + ": " + result.getStdout() + result.getStderr());
        return result.getStdout();
    }
}
