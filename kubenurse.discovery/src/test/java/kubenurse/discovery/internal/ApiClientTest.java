package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;
import kubenurse.config.Config;
import kubenurse.testing.LogLines;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API client's TLS against real HTTPS API servers: one key share, and every group where that is refused. */
class ApiClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void anApiServerLimitedToNistCurvesIsReadOnTheFirstRequestAndOfferedEveryGroupFromThen() throws Exception {
        // the JDK's own client offers secp256r1 too, so a refusal proves the first ClientHello offered one key share
        against("secp256r1", (cluster, api, refusals) -> {
            assertEquals(200, api.exchange("GET", "/api/v1/nodes", null, null, TIMEOUT).status(), "tried once more");
            assertEquals(1, refusals.lines().size(), refusals.lines().toString());

            assertEquals(200, api.exchange("GET", "/api/v1/nodes/node-a", null, null, TIMEOUT).status());
            HttpResponse<InputStream> streamed = api.get("/api/v1/nodes", TIMEOUT, TIMEOUT);
            try (InputStream body = streamed.body()) {
                body.readAllBytes();
            }
            assertEquals(200, streamed.statusCode());
            assertEquals(1, refusals.lines().size(), "offered every group from the first refusal on: " + refusals.lines());
        });
    }

    @Test
    void aStreamedGetIsSentOnceMoreToo() throws Exception {
        against("secp256r1", (cluster, api, refusals) -> {
            HttpResponse<InputStream> streamed = api.get("/api/v1/nodes", TIMEOUT, TIMEOUT);
            try (InputStream body = streamed.body()) {
                assertTrue(new String(body.readAllBytes(), StandardCharsets.UTF_8).contains("node-a"));
            }
            assertEquals(1, refusals.lines().size(), refusals.lines().toString());
        });
    }

    @Test
    void aRefusedRequestWhoseSecondAttemptTimesOutKeepsTheRefusalAndIsNotSentAgain() throws Exception {
        against("secp256r1", (cluster, api, refusals) -> {
            cluster.api().hangRequests("/api/v1/nodes");
            try {
                IOException failed = assertThrows(IOException.class,
                        () -> api.exchange("GET", "/api/v1/nodes", null, null, Duration.ofSeconds(2)));
                assertInstanceOf(HttpTimeoutException.class, failed, failed.toString());
                assertEquals(1, failed.getSuppressed().length, "the refused handshake: " + List.of(failed.getSuppressed()));
                assertInstanceOf(SSLException.class, failed.getSuppressed()[0]);
                assertEquals(1, cluster.api().requests().size(), "sent once more after the refusal, not after the timeout");
            } finally {
                cluster.api().releaseHungRequests();
            }
        });
    }

    @Test
    void anApiServerWithX25519IsNeverRefused() throws Exception {
        against("x25519", (cluster, api, refusals) -> {
            assertEquals(200, api.exchange("GET", "/api/v1/nodes", null, null, TIMEOUT).status());
            assertEquals(200, api.exchange("GET", "/api/v1/nodes/node-a", null, null, TIMEOUT).status());
            assertEquals(0, refusals.lines().size(), refusals.lines().toString());
        });
    }

    /** What a test does with a stub cluster, the client of pod-a there, and the refusals logged meanwhile. */
    private interface ClientTest {
        void run(TestCluster cluster, ApiClient api, LogLines refusals) throws Exception;
    }

    /** Runs {@code test} against an API server that agrees only on {@code namedGroup}. */
    private void against(String namedGroup, ClientTest test) throws Exception {
        try (TestCluster cluster = TestCluster.builder().apiNamedGroups(namedGroup).withNodes("node-a").start(dir);
             LogLines refusals = LogLines.listen("kubenurse.tls", "event=tls_key_share_refused");
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             ApiClient api = ApiClient.of(Config.fromEnvironment(cluster.environmentFor("pod-a", "node-a"), "host"),
                     threads)) {
            test.run(cluster, api, refusals);
        }
    }
}
