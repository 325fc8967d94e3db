package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.marcnuri.helm.Helm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.testcontainers.utility.MountableFile;

/**
 * kubenurse in a real two-node k3s (a server and an agent, see {@link TwoNodeK3s}): the image is built from
 * deploy/Dockerfile, imported into both nodes without a registry, installed with kubectl apply -k and with
 * Helm; then all checks ok, the path to the other node's pod among them (with Helm also me_ingress, through
 * k3s' Traefik, as upstream's e2e checks it through ingress-nginx); a cordoned node's pod answers /ready
 * with 503. After a rolling restart of each installation, what upstream's own kind end-to-end check asserts
 * (its check-deployment action): one pod per node, no container restarts, no log line beyond the usual ones
 * (ours: none at level warn or error), request-duration series of a path_ check, no kubenurse_errors_total
 * series at all, /alive's neighbourhood_state ok and its neighbourhood listing the other node's pod. Upstream
 * asserts errors only after its rolling restart too: at a fresh install, the first checks of pods that all
 * start at once may find the Service without a ready endpoint. Every /alive, /metrics and /ready assertion
 * reads what kubenurse itself answered (status code and body, through the API server's pod proxy). Needs
 * Docker: without it every test is skipped, saying why.
 *
 * <p>Run: {@code ./mvnw -B verify -pl it-k3s -am} on a machine with a Docker engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "dockerAvailable", disabledReason = "no Docker engine available here: the k3s cluster suite needs one "
        + "(run ./mvnw -B verify -pl it-k3s -am where Docker runs)")
class K3sClusterIT {

    private static final Path ROOT = Path.of(System.getProperty("kubenurse.root", "..")).toAbsolutePath().normalize();
    private static final String IMAGE = "docker.io/library/kubenurse:it";
    /** deploy/Dockerfile's build stage is a whole Maven build (dependencies downloaded, no cache), jlink, AOT training. */
    private static final Duration IMAGE_BUILD_TIMEOUT = Duration.ofMinutes(20);
    /** Path checks a new pod makes to the other node's new pod before its metrics and logs are held to be clean. */
    private static final int PATH_CHECKS_OF_NEW_PEER = 3;
    private static final String KUBECTL_SELECTOR = "app.kubernetes.io/name=kubenurse";
    private static final String HELM_SELECTOR = "app.kubernetes.io/instance=nurse";
    private static final Pattern ERRORS = Pattern.compile("(?m)^kubenurse_errors_total\\{[^}]*\\} \\S+$");
    private static final Pattern WARN_OR_ERROR = Pattern.compile("(?m)^.*\\blevel=(warn|error)\\b.*$");
    private static final Set<String> NODES = Set.of(TwoNodeK3s.SERVER_NODE, TwoNodeK3s.AGENT_NODE);
    private static final List<String> IN_CLUSTER_CHECKS = List.of("api_server_direct", "api_server_dns", "me_service");
    private static final List<String> WITH_INGRESS = List.of("api_server_direct", "api_server_dns", "me_service", "me_ingress");

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
    static void cluster() throws Exception {
        try {
            new RepositoryImage(IMAGE, ROOT).get(IMAGE_BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new AssertionError("image " + IMAGE + " not built from " + ROOT.resolve("deploy/Dockerfile") + " within "
                    + IMAGE_BUILD_TIMEOUT.toMinutes() + " min (its build stage runs the whole Maven build; Testcontainers"
                    + " logs the build's output at DEBUG under the logger named after the image)", e);
        }
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
    void installedWithKubectlAllChecksOkOnBothNodes() throws Exception {
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
        allChecksOk("kube-system", KUBECTL_SELECTOR, IN_CLUSTER_CHECKS, "after install");
    }

    @Test
    @Order(2)
    void rollingRestartRaisesNoFalseAlarm() throws Exception {
        restartedHealthyAsUpstreamAsserts("kube-system", KUBECTL_SELECTOR, IN_CLUSTER_CHECKS);
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
    void installedWithHelmAllChecksOkOnBothNodesIngressIncluded() throws Exception {
        k3s.awaitIngressController();
        new Helm(ROOT.resolve("deploy/helm/kubenurse")).install()
                .withName("nurse").withNamespace("helm-it").createNamespace()
                .withKubeConfigContents(k3s.kubeConfigYaml())
                .set("daemonset.image.repository", "docker.io/library/kubenurse")
                .set("daemonset.image.tag", "it")
                .set("daemonset.containerImagePullPolicy", "Never")
                // upstream's e2e: the chart's Ingress on the cluster's controller, whose in-cluster name is the
                // URL (https://, the controller's own certificate, hence the chart's default insecure=true)
                .set("ingress.enabled", true)
                .set("ingress.className", "traefik")
                .set("ingress.url", TwoNodeK3s.INGRESS_CONTROLLER)
                .set("neighbour_filter", HELM_SELECTOR)
                .waitReady().withTimeout(300)
                .call();
        allChecksOk("helm-it", HELM_SELECTOR, WITH_INGRESS, "after a Helm install");
    }

    @Test
    @Order(5)
    void helmInstallationRestartedIsHealthyAsUpstreamAsserts() throws Exception {
        restartedHealthyAsUpstreamAsserts("helm-it", HELM_SELECTOR, WITH_INGRESS);
    }

    /**
     * Upstream's end-to-end criterion, after a rolling restart as upstream does it: the new pods never saw the
     * Service without a ready endpoint, so not one check of theirs may have failed.
     */
    private static void restartedHealthyAsUpstreamAsserts(String namespace, String selector, List<String> checks)
            throws Exception {
        String daemonSet = "ds/" + k3s.daemonSet(namespace, selector);
        k3s.kubectl("-n", namespace, "rollout", "restart", daemonSet);
        k3s.kubectl("-n", namespace, "rollout", "status", daemonSet, "--timeout=300s");
        String when = "after a rollout restart";
        Map<String, String> pods = allChecksOk(namespace, selector, checks, when);
        // the positive signal before asserting that nothing failed: each new pod has checked the other node's new pod
        for (Map.Entry<String, String> pod : pods.entrySet()) {
            String otherNode = otherNode(pod.getKey());
            awaitPathChecksOf(namespace, pod.getValue(), pods.get(otherNode), otherNode);
        }
        assertEquals(NODES.size() + "/" + NODES.size(), k3s.kubectl("-n", namespace, "get", daemonSet, "-o",
                "jsonpath={.status.desiredNumberScheduled}/{.status.numberReady}").strip(),
                "one ready pod per node (desired/ready) " + when);
        Map<String, Integer> restarts = k3s.restarts(namespace, selector);
        assertTrue(restarts.keySet().containsAll(pods.values()), "restart counts of " + pods.values() + ": " + restarts);
        for (Map.Entry<String, Integer> pod : restarts.entrySet()) {
            assertEquals(0, pod.getValue(), "container restarts of " + pod.getKey() + " " + when);
        }
        for (Map.Entry<String, String> pod : pods.entrySet()) {
            String otherNode = otherNode(pod.getKey());
            String name = pod.getValue();
            String metrics = metrics(namespace, name);
            assertEquals(List.of(), lines(ERRORS, metrics), "kubenurse_errors_total series of " + name + " " + when);
            assertTrue(pathChecks(metrics, otherNode) > 0,
                    "request durations of path_" + otherNode + " recorded by " + name + " " + when + ":\n" + metrics);
            HttpResponse<String> response = k3s.get(namespace, name, "/alive");
            assertEquals(200, response.statusCode(), "/alive of " + name + " " + when + ": " + response.body());
            JsonObject alive = Json.parse(response.body()).asObject();
            assertEquals("ok", alive.getString("neighbourhood_state", null), "neighbourhood_state of " + name + ": " + alive);
            assertTrue(listsPodOn(alive.get("neighbourhood"), pods.get(otherNode), otherNode),
                    "/alive of " + name + " lists " + pods.get(otherNode) + " on " + otherNode + " in its neighbourhood: " + alive);
            assertEquals(List.of(), lines(WARN_OR_ERROR, k3s.logs(namespace, name)),
                    "log lines at level warn or error of " + name + " " + when);
        }
    }

    /**
     * Until {@code pod} lists {@code peer}, the other node's pod of the same rollout, in its neighbourhood, and then has
     * recorded {@value #PATH_CHECKS_OF_NEW_PEER} more path checks of that node: checks of the new peer, not of the
     * pod it replaced. What a fixed pause stood in for: errors, restarts and log lines are asserted absent after it.
     */
    private static void awaitPathChecksOf(String namespace, String pod, String peer, String peerNode) throws Exception {
        Eventually.until("/alive of " + pod + " listing " + peer + " on " + peerNode, Duration.ofMinutes(2),
                Duration.ofSeconds(1), () -> ask(namespace, pod, "/alive"),
                alive -> alive.status() == 200
                        && listsPodOn(Json.parse(alive.body()).asObject().get("neighbourhood"), peer, peerNode));
        double before = pathChecks(metrics(namespace, pod), peerNode);
        Eventually.until(PATH_CHECKS_OF_NEW_PEER + " path_" + peerNode + " checks by " + pod + " after " + before,
                Duration.ofMinutes(2), Duration.ofSeconds(1), () -> pathChecks(metrics(namespace, pod), peerNode),
                after -> after >= before + PATH_CHECKS_OF_NEW_PEER);
    }

    /** The path checks of {@code node} a pod's /metrics counts (its request-duration histogram's count, all series). */
    private static double pathChecks(String metrics, String node) {
        Matcher count = Pattern.compile("(?m)^kubenurse_httpclient_request_duration_seconds_count\\{[^}]*type=\"path_"
                + Pattern.quote(node) + "\"[^}]*\\} (\\S+)$").matcher(metrics);
        double sum = 0;
        while (count.find()) {
            sum += Double.parseDouble(count.group(1));
        }
        return sum;
    }

    /** Each node's pod: {@code checks} and the path to the other node's pod ok, nothing else failing. */
    private static Map<String, String> allChecksOk(String namespace, String selector, List<String> checks, String when)
            throws Exception {
        Map<String, String> pods = podsOnBothNodes(namespace, selector);
        for (Map.Entry<String, String> pod : pods.entrySet()) {
            String otherNode = otherNode(pod.getKey());
            JsonObject alive = awaitAllOk(namespace, pod.getValue(), "path_" + otherNode);
            for (String check : checks) {
                assertEquals("ok", alive.getString(check, null), check + " of " + pod.getValue() + " " + when + ": " + alive);
            }
            assertEquals("ok", alive.get("last_check_result").asObject().getString("path_" + otherNode, null),
                    "path_" + otherNode + " of " + pod.getValue() + " " + when + ": " + alive);
        }
        return pods;
    }

    private static String otherNode(String node) {
        return NODES.stream().filter(n -> !n.equals(node)).findFirst().orElseThrow();
    }

    /** Whether a /alive neighbourhood is a list (upstream's check: not null) holding {@code pod} on {@code node}. */
    private static boolean listsPodOn(JsonValue neighbourhood, String pod, String node) {
        if (neighbourhood == null || !neighbourhood.isArray()) {
            return false;
        }
        for (JsonValue entry : neighbourhood.asArray()) {
            if (entry.isObject() && pod.equals(entry.asObject().getString("PodName", null))
                    && node.equals(entry.asObject().getString("NodeName", null))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> podsOnBothNodes(String namespace, String selector) throws Exception {
        return Eventually.until("one Running kubenurse pod on each of " + NODES, Duration.ofMinutes(2),
                Duration.ofSeconds(2), () -> k3s.podsByNode(namespace, selector), pods -> pods.keySet().equals(NODES));
    }

    /** /alive once it answers 200 with the path check to the other node among its results, all ok. */
    private static JsonObject awaitAllOk(String namespace, String pod, String pathCheck) throws Exception {
        Answer alive = Eventually.until("/alive of " + pod + " with every check ok, " + pathCheck + " among them",
                Duration.ofMinutes(2), Duration.ofSeconds(2), () -> ask(namespace, pod, "/alive"),
                answer -> answer.status() == 200 && allOk(Json.parse(answer.body()).asObject(), pathCheck));
        return Json.parse(alive.body()).asObject();
    }

    private static boolean allOk(JsonObject alive, String pathCheck) {
        JsonObject results = alive.get("last_check_result").asObject();
        boolean allOk = results.get(pathCheck) != null;
        for (JsonObject.Member check : results) {
            // upstream v1.15.3 nests the neighbourhood (an array) beside the results: not a check
            if (!check.getName().equals("neighbourhood")) {
                allOk &= check.getValue().isString() && Set.of("ok", "skipped").contains(check.getValue().asString());
            }
        }
        return allOk;
    }

    /** Until /ready answers {@code status} with kubenurse's own {@code body} (not an API server error page). */
    private static void awaitReady(String namespace, String pod, int status, String body) throws Exception {
        Eventually.until("/ready of " + pod + " answering " + status + " " + body.strip(), Duration.ofMinutes(2),
                Duration.ofSeconds(1), () -> ask(namespace, pod, "/ready"),
                ready -> ready.status() == status && ready.body().equals(body));
    }

    /** What a pod answered, as a failed wait reports the last one. */
    private record Answer(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static Answer ask(String namespace, String pod, String path) throws Exception {
        HttpResponse<String> response = k3s.get(namespace, pod, path);
        return new Answer(response.statusCode(), response.body());
    }

    private static String metrics(String namespace, String pod) throws Exception {
        HttpResponse<String> response = k3s.get(namespace, pod, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("kubenurse_httpclient_requests_total"), response.body());
        return response.body();
    }

    private static List<String> lines(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
