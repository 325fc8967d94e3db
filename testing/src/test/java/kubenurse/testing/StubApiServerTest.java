package kubenurse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stub's field selectors, writes, hung requests, status churn and traffic counts, over real HTTPS as a client sees them. */
class StubApiServerTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair cert;

    private StubApiServer api;
    private HttpClient client;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.certificateAuthority(dir, "ca");
        cert = TestCertificates.signedBy(ca, dir, "api", "IP:127.0.0.1");
    }

    @BeforeEach
    void start() throws Exception {
        api = StubApiServer.start(TestCertificates.serverContext(cert));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(ca.cert())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).build();
        api.putNode("node-a", false, false);
        api.putNode("node-b", true, false);
        api.putNode("node-c", false, false);
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    private HttpResponse<InputStream> get(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/api/v1/nodes?" + query))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> listNames(String fieldSelector) throws Exception {
        HttpResponse<InputStream> response = get("fieldSelector=" + URLEncoder.encode(fieldSelector, StandardCharsets.UTF_8));
        try (InputStream body = response.body()) {
            assertEquals(200, response.statusCode());
            List<String> names = new ArrayList<>();
            for (JsonValue item : Json.parse(new InputStreamReader(body, StandardCharsets.UTF_8)).asObject().get("items").asArray()) {
                names.add(item.asObject().get("metadata").asObject().getString("name", ""));
            }
            return names;
        }
    }

    @Test
    void listsSelectByFieldAsTheApiServerDoes() throws Exception {
        assertEquals(List.of("node-b"), listNames("spec.unschedulable=true"));
        assertEquals(List.of("node-a", "node-c"), listNames("spec.unschedulable!=true"), "absent reads as false");
        assertEquals(List.of("node-a", "node-c"), listNames("spec.unschedulable==false"));
        assertEquals(List.of("node-c"), listNames("metadata.name=node-c"));
        assertEquals(List.of(), listNames("metadata.name=node-b,spec.unschedulable=false"), "all requirements hold");
        HttpResponse<InputStream> unsupported = get("fieldSelector=status.phase%3DReady");
        unsupported.body().close();
        assertEquals(400, unsupported.statusCode(), "nodes have no status.phase field label");
    }

    @Test
    void aWatchSeesObjectsEnterAndLeaveItsFieldSelectorAsAddedAndDeleted() throws Exception {
        long from = api.resourceVersion();
        api.putNode("node-a", true, false); // cordoned: enters
        api.putNode("node-c", false, false); // a status update of a node outside: nothing
        api.putNode("node-b", false, false); // uncordoned: leaves
        api.putNode("node-a", true, false); // stays in: modified
        api.deleteNode("node-a"); // deleted while in
        api.deleteNode("node-c"); // deleted while out: nothing
        List<JsonObject> events = new ArrayList<>();
        HttpResponse<InputStream> watch = get("watch=true&timeoutSeconds=1&resourceVersion=" + from
                + "&fieldSelector=spec.unschedulable%3Dtrue");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                events.add(Json.parse(line).asObject());
            }
        }
        List<String> seen = events.stream().map(e -> e.getString("type", "") + " "
                + e.get("object").asObject().get("metadata").asObject().getString("name", "")).toList();
        assertEquals(List.of("ADDED node-a", "DELETED node-b", "MODIFIED node-a", "DELETED node-a"), seen);
        JsonObject left = events.get(1).get("object").asObject();
        assertTrue(left.get("spec").asObject().getBoolean("unschedulable", false),
                "DELETED on leaving carries the last state that matched");
        assertEquals(String.valueOf(from + 3), left.get("metadata").asObject().getString("resourceVersion", ""),
                "with the resourceVersion of the change that made it leave");
        assertEquals(seen.size(), api.traffic().getLast().events().get(), "every event sent is counted");
    }

    @Test
    void statusChurnUpdatesEveryNodeOncePerPeriodAndOnlyMatchingWatchesPayForIt() throws Exception {
        api.nodeImages(50);
        for (int i = 0; i < 50; i++) {
            api.putNode("churn-" + i, false, false);
        }
        long from = api.resourceVersion();
        long started = System.nanoTime();
        api.churnNodeStatus(Duration.ofMillis(500), 10_000);
        HttpResponse<InputStream> all = get("watch=true&timeoutSeconds=2&resourceVersion=" + from);
        HttpResponse<InputStream> cordoned = get("watch=true&timeoutSeconds=2&resourceVersion=" + from
                + "&fieldSelector=spec.unschedulable%3Dtrue");
        all.body().readAllBytes();
        cordoned.body().readAllBytes();
        long updates = api.statusUpdates();
        // the churn ran at most this long when read; on a loaded machine that is more than the watches' 2 s
        double seconds = (System.nanoTime() - started) / 1e9;
        // 53 nodes every 0.5 s: 106 a second, made in ticks of 0.1 s that catch up when late (one more tick
        // may have begun, one more for rounding); at least the 2 s the watches lasted, less a lagging churn thread's 30 %
        long most = (long) Math.ceil(106 * (seconds + 0.2));
        assertTrue(updates >= 150 && updates <= most, updates + " updates in " + seconds + " s (at most " + most + ")");
        Traffic allTraffic = api.traffic().get(api.traffic().size() - 2);
        Traffic cordonedTraffic = api.traffic().getLast();
        long cordonedSent = cordonedTraffic.events().get();
        // what the watch of all nodes was sent depends on how fast this machine writes ~9 KB events (106 of 318 at
        // load 10): what is certain is that it pays for every node's churn, the cordoned watch for one node's
        assertTrue(allTraffic.events().get() >= 10 * Math.max(cordonedSent, 5) && allTraffic.events().get() <= updates,
                allTraffic.events() + " events to the watch of all nodes, of " + updates + " updates; the cordoned watch "
                        + cordonedSent);
        assertTrue(allTraffic.bytes().get() / allTraffic.events().get() > 8_000,
                "each event a whole node with its 50 images (~9 KB of them)");
        long cordonedShare = cordonedTraffic.events().get();
        // only node-b is cordoned: one update every 0.5 s, about 4 in the watch's 2 s
        long cordonedMost = (long) Math.ceil((seconds + 0.1) / 0.5) + 1;
        assertTrue(cordonedShare >= 2 && cordonedShare <= cordonedMost,
                cordonedShare + " events to the cordoned watch in " + seconds + " s (at most " + cordonedMost + ")");
    }

    @Test
    void eventsOfClusterScopedObjectsAreCreatedInDefaultOnlyAndPatchedByName() throws Exception {
        String event = """
                {"metadata": {"name": "node-a.1"}, "involvedObject": {"kind": "Node", "name": "node-a"}, "count": 1,
                 "message": "first"}""";
        assertEquals(422, send("POST", "/api/v1/namespaces/kube-system/events", "application/json", event).statusCode(),
                "a Node's Event outside default is invalid");
        assertEquals(201, send("POST", "/api/v1/namespaces/default/events", "application/json", event).statusCode());
        assertEquals(409, send("POST", "/api/v1/namespaces/default/events", "application/json", event).statusCode());
        assertEquals(200, send("PATCH", "/api/v1/namespaces/default/events/node-a.1", "application/strategic-merge-patch+json",
                "{\"count\": 2, \"message\": \"second\"}").statusCode());
        assertEquals(404, send("PATCH", "/api/v1/namespaces/default/events/node-a.2", "application/merge-patch+json",
                "{\"count\": 2}").statusCode());
        JsonObject stored = api.events().getFirst();
        assertEquals(List.of(2, "second", "default"), List.of(stored.getInt("count", 0), stored.getString("message", ""),
                stored.get("metadata").asObject().getString("namespace", "")));
        assertEquals(1, api.events().size());
    }

    @Test
    void aStrategicMergePatchMergesNodeConditionsByTypeAndAMergePatchReplacesThem() throws Exception {
        HttpResponse<String> node = send("GET", "/api/v1/nodes/node-a", "application/json", "");
        assertEquals(api.nodeUid("node-a"), Json.parse(node.body()).asObject().get("metadata").asObject().getString("uid", ""));
        assertEquals(404, send("GET", "/api/v1/nodes/node-x", "application/json", "").statusCode());
        String patch = "{\"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": \"False\"},"
                + " {\"type\": \"Extra\", \"status\": \"True\"}]}}";
        assertEquals(200, send("PATCH", "/api/v1/nodes/node-a/status", "application/strategic-merge-patch+json", patch).statusCode());
        List<JsonObject> merged = api.nodeConditions("node-a");
        assertEquals(List.of("MemoryPressure", "DiskPressure", "PIDPressure", "Ready", "Extra"),
                merged.stream().map(c -> c.getString("type", "")).toList());
        assertEquals("False", merged.get(3).getString("status", ""));
        assertEquals("KubeletReady", merged.get(3).getString("reason", ""), "the fields not patched stay");
        assertEquals(200, send("PATCH", "/api/v1/nodes/node-c/status", "application/merge-patch+json", patch).statusCode());
        assertEquals(List.of("Ready", "Extra"), api.nodeConditions("node-c").stream().map(c -> c.getString("type", "")).toList());
        assertEquals(415, send("PATCH", "/api/v1/nodes/node-c/status", "application/json-patch+json", "[]").statusCode());
    }

    @Test
    void aHungRequestIsHeldUntilReleasedAndRecordedAtOnce() throws Exception {
        api.hangRequests("/api/v1/nodes/node-a");
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/api/v1/nodes/node-a", "application/json", "").statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually.within(Duration.ofSeconds(10), "the request received", () -> api.requests().size(), n -> n == 1);
        assertEquals(200, send("GET", "/api/v1/nodes/node-b", "application/json", "").statusCode(), "other paths answer");
        assertFalse(answer.isDone(), "held while another path answered");
        api.releaseHungRequests();
        assertEquals(200, answer.get(10, TimeUnit.SECONDS));
    }
}
