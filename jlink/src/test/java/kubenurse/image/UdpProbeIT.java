package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import kubenurse.image.fixture.RunningImage;
import kubenurse.image.fixture.StubCluster;
import kubenurse.testing.Eventually;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linked image's UDP probe (issue 14) in cluster mode against a stub API server: its neighbours' pod IPs
 * are loopback addresses, where the image's own responder answers (it listens on every address), so every
 * probe crosses a real socket both ways. Shows the probes answered in /alive and /metrics, the series of a
 * neighbour that leaves removed, and that KUBENURSE_CHECK_UDP=false opens no UDP port.
 */
class UdpProbeIT {


    @TempDir
    Path dir;

    private TestCluster threeNodeCluster() throws Exception {
        return StubCluster.onLoopback(2).token("token-1").start(dir);
    }

    private static Map<String, String> environment(TestCluster cluster, Map<String, String> more) {
        Map<String, String> env = StubCluster.podA(cluster);
        env.putAll(more);
        return env;
    }

    @Test
    void probesTheNeighboursAndShowsTheirLossRttAndJitter() throws Exception {
        try (TestCluster cluster = threeNodeCluster();
             RunningImage image = RunningImage.start(environment(cluster, Map.of("KUBENURSE_UDP_PROBES", "10")), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            JsonObject udp = eventually(image, "both neighbours probed", json -> answering(json, "path_node-b")
                    && answering(json, "path_node-c")).get("udp").asObject();
            for (String type : List.of("path_node-b", "path_node-c")) {
                JsonObject path = udp.get(type).asObject();
                assertEquals(10, path.getInt("sent", -1), udp.toString());
                assertEquals(0, path.getInt("lost", -1), udp.toString());
                double p50 = path.get("rtt_p50_seconds").asDouble();
                assertTrue(p50 > 0 && p50 < 0.1, "a loopback round trip: " + udp);
                assertTrue(path.get("jitter_seconds").asDouble() >= 0, udp.toString());
            }
            assertFalse(udp.names().contains("path_node-a"), "it does not probe itself: " + udp);
            System.out.println("udp probe over loopback, last cycle: " + udp);

            String metrics = image.get("/metrics").body();
            for (String series : List.of("kubenurse_udp_probes_sent_total{type=\"path_node-b\"}",
                    "kubenurse_udp_probes_lost_total{type=\"path_node-b\"} 0.0",
                    "kubenurse_udp_probes_duplicated_total{type=\"path_node-b\"} 0.0",
                    "kubenurse_udp_probes_reordered_total{type=\"path_node-b\"} 0.0",
                    "kubenurse_udp_rtt_seconds_bucket{type=\"path_node-b\",le=\"0.001\"}",
                    "kubenurse_udp_jitter_seconds{type=\"path_node-c\"}")) {
                assertTrue(metrics.contains(series), series + " in\n" + metrics);
            }
            assertPromtoolAccepts(metrics);

            cluster.api().deletePod("kube-system", "pod-c");
            eventually(image, "pod-c's probe gone", json -> json.get("udp").asObject().get("path_node-c") == null
                    && answering(json, "path_node-b"));
            String after = image.get("/metrics").body();
            assertFalse(after.contains("kubenurse_udp_probes_sent_total{type=\"path_node-c\"}"), after);
            assertTrue(image.output().contains(" check_udp=true udp_port="), image.output());
        }
    }

    @Test
    void switchedOffItOpensNoUdpPortAndShowsNothing() throws Exception {
        int port = RunningImage.freeUdpPort();
        try (TestCluster cluster = threeNodeCluster();
             RunningImage image = RunningImage.start(environment(cluster, Map.of("KUBENURSE_CHECK_UDP", "false",
                     "KUBENURSE_UDP_PORT", String.valueOf(port))), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            JsonObject alive = eventually(image, "both neighbours checked over HTTP",
                    json -> "ok".equals(json.get("last_check_result").asObject().getString("path_node-b", "")));
            assertEquals(new JsonObject(), alive.get("udp"), alive.toString());
            assertFalse(image.get("/metrics").body().contains("kubenurse_udp_"));
            try (DatagramChannel channel = DatagramChannel.open()) {
                channel.bind(new InetSocketAddress(port));
            } catch (BindException taken) {
                throw new AssertionError("UDP port " + port + " bound although KUBENURSE_CHECK_UDP=false", taken);
            }
        }
    }

    /** promtool's lint of the udp families with data in them (ImageIT checks them empty, in local mode). */
    private static void assertPromtoolAccepts(String metrics) throws Exception {
        if (!kubenurse.testing.Promtool.installed()) {
            System.out.println("promtool not installed (Debian package prometheus): metrics format check skipped");
            return;
        }
        kubenurse.testing.Promtool.Verdict verdict = kubenurse.testing.Promtool.checkMetrics(metrics);
        assertEquals(0, verdict.exitCode(), "promtool: " + verdict.output() + "\n" + metrics);
    }

    private static boolean answering(JsonObject alive, String type) {
        if (alive.get("udp") == null || alive.get("udp").asObject().get(type) == null) {
            return false;
        }
        JsonObject path = alive.get("udp").asObject().get(type).asObject();
        return "answering".equals(path.getString("state", "")) && path.getInt("lost", -1) == 0;
    }

    /** The first /alive that meets {@code condition}; a failure shows the last one and the image's output. */
    private static JsonObject eventually(RunningImage image, String what, Predicate<JsonObject> condition)
            throws Exception {
        return Eventually.within(Duration.ofSeconds(20), Duration.ofMillis(250), what,
                () -> Json.parse(image.get("/alive").body()).asObject(), condition, () -> "output:\n" + image.output());
    }
}
