package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import kubenurse.image.fixture.ProcStatus;
import kubenurse.image.fixture.RunningImage;
import kubenurse.testing.TestHttpServer;
import org.junit.jupiter.api.Test;

/** The checks as the linked image runs them, in local mode, against real local servers. */
class ChecksIT {

    @Test
    void localModeReportsServiceAndExtraChecksInAliveAndMetrics() throws Exception {
        try (TestHttpServer service = TestHttpServer.http(); TestHttpServer missing = TestHttpServer.http().status(404)) {
            int closed = RunningImage.freePort();
            Map<String, String> env = Map.of(
                    // a host name, so that the image's resolver is used and timed
                    "KUBENURSE_SERVICE_URL", "http://localhost:" + service.port(),
                    "KUBENURSE_EXTRA_CHECKS", "missing:" + missing.uri("/missing") + "|closed:http://127.0.0.1:" + closed + "/",
                    "KUBENURSE_CHECK_INTERVAL", "1s",
                    "KUBENURSE_LOG_LEVEL", "debug");
            try (RunningImage image = RunningImage.start(env, List.of())) {
                HttpResponse<String> alive = image.awaitAlive(Duration.ofSeconds(20));
                assertEquals(500, alive.statusCode(), alive.body());
                JsonObject json = Json.parse(alive.body()).asObject();
                assertEquals("ok", json.getString("me_service", null), alive.body());
                assertEquals("skipped", json.getString("api_server_direct", null));
                JsonObject last = json.get("last_check_result").asObject();
                assertEquals("404 Not Found", last.getString("missing", null), alive.body());
                assertEquals("connection refused", last.getString("closed", null), alive.body());
                assertEquals("ok", last.getString("me_service", null));

                Thread.sleep(2500); // a few scheduled cycles
                String metrics = image.get("/metrics").body();
                for (String series : List.of(
                        "kubenurse_httpclient_requests_total{code=\"200\",type=\"me_service\"}",
                        "kubenurse_httpclient_requests_total{code=\"404\",type=\"missing\"}",
                        "kubenurse_httpclient_requests_total{code=\"round_trip_error\",type=\"closed\"}",
                        "kubenurse_errors_total{event=\"status_code_404\",type=\"missing\"}",
                        "kubenurse_errors_total{event=\"connect_done\",type=\"closed\"}",
                        "kubenurse_httpclient_request_duration_seconds_bucket{type=\"me_service\",le=\"0.005\"}",
                        "kubenurse_httpclient_trace_request_duration_seconds_count{event=\"dns_start\",type=\"me_service\"}",
                        "kubenurse_httpclient_trace_request_duration_seconds_count{event=\"dns_done\",type=\"me_service\"}",
                        "kubenurse_httpclient_trace_request_duration_seconds_count{event=\"got_first_resp_byte\",type=\"me_service\"}",
                        "kubenurse_request_duration_count{type=\"closed\"}")) {
                    assertTrue(metrics.contains(series), series + " missing from\n" + metrics);
                }
                assertTrue(service.acceptedConnections() >= 3, "one fresh connection per check");
                String log = image.output();
                // this server keeps connections open although asked to close: the second run found the first one's
                // connection, was measured again on a fresh one, and the check has had a client per run since
                int onLeftConnections = service.requests().size() - service.acceptedConnections();
                assertTrue(onLeftConnections <= 1, service.requests().size() + " requests on " + service.acceptedConnections()
                        + " connections: a left connection was used more than once");
                assertTrue(onLeftConnections == 0 || log.contains("event=server_keeps_connections_open check=\"me_service\""), log);
                assertTrue(Pattern.compile("event=check_done type=me_service result=\"ok\" response_ms=\\d+\\.\\d{3} "
                        + "elapsed_ms=\\d+\\.\\d{3}\n").matcher(log).find(), "every run logged at debug:\n" + log);
                assertTrue(log.contains("event=check_done type=closed result=\"connection refused\" elapsed_ms="), log);
                assertTrue(!log.contains("event=check_client_per_run"),
                        "the image's JVM allows the Connection header, so each check keeps its client:\n" + log);
                // the checks' metrics keep no exemplars (nothing traces): prometheus-metrics' exemplar sampler starts
                // its scheduler thread at the first observation that may keep one
                List<String> threads = ProcStatus.threads(image.process.pid()).stream().map(ProcStatus.ProcThread::name).toList();
                assertTrue(threads.stream().noneMatch(name -> name.startsWith("prometheus-met")), threads.toString());
            }
        }
    }
}
