package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.checks.UdpPathResult;
import kubenurse.discovery.Neighbour;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/**
 * The prober against test neighbours on loopback addresses that drop, duplicate and hold back replies. With a
 * 3 s interval and 10 probes the first cycle's sends span 0.9 s and it ends by 1.9 s, well before the second
 * starts: the counters read just after the first result are the first cycle's.
 */
class UdpProberTest {

    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final int PROBES = 10;

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private static Neighbour neighbour(String node, String ip) {
        return new Neighbour("pod-" + node, ip, ip, node, "Running");
    }

    private UdpProber prober(int port, int probes, Duration interval, AtomicReference<List<Neighbour>> neighbours)
            throws Exception {
        UdpProber prober = new UdpProber(DatagramChannel.open().bind(new InetSocketAddress(0)), port, probes, interval,
                neighbours::get, new UdpMetrics(registry));
        prober.start();
        return prober;
    }

    private static Map<String, UdpPathResult> await(UdpProber prober, String what,
            Predicate<Map<String, UdpPathResult>> condition) {
        return Eventually.within(Duration.ofSeconds(15), what, prober::latest, condition);
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double sample(String text, String name, String type) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{type=\"" + Pattern.quote(type) + "\"\\} (\\S+)$")
                .matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + "{type=\"" + type + "\"} in\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countsLossDuplicatesAndReorderingOfACycle() throws Exception {
        // of 10 probes: the 5th and 10th dropped, the 3rd answered twice, the 6th answered after the 7th
        try (FaultyNeighbour b = new FaultyNeighbour(new InetSocketAddress("127.0.0.2", 0),
                n -> n % 5 == 0, n -> n == 3, n -> n == 6)) {
            AtomicReference<List<Neighbour>> neighbours = new AtomicReference<>(List.of(neighbour("node-b", "127.0.0.2")));
            try (UdpProber prober = prober(b.port(), PROBES, INTERVAL, neighbours)) {
                UdpPathResult result = await(prober, "a cycle", latest -> !latest.isEmpty()).get("path_node-b");
                String metrics = scrape();
                assertEquals(10, result.sent(), result.toString());
                assertEquals(2, result.lost(), result.toString());
                assertEquals(UdpPathResult.ANSWERING, result.state());
                assertTrue(result.rttP50Seconds().getAsDouble() > 0 && result.rttP50Seconds().getAsDouble() < 0.5,
                        result.toString());
                assertTrue(result.jitterSeconds().isPresent(), result.toString());
                assertEquals(10, sample(metrics, "kubenurse_udp_probes_sent_total", "path_node-b"), metrics);
                assertEquals(2, sample(metrics, "kubenurse_udp_probes_lost_total", "path_node-b"), metrics);
                assertEquals(1, sample(metrics, "kubenurse_udp_probes_duplicated_total", "path_node-b"), metrics);
                assertEquals(1, sample(metrics, "kubenurse_udp_probes_reordered_total", "path_node-b"), metrics);
                assertEquals(8, sample(metrics, "kubenurse_udp_rtt_seconds_count", "path_node-b"), metrics);
                assertEquals(result.jitterSeconds().getAsDouble(),
                        sample(metrics, "kubenurse_udp_jitter_seconds", "path_node-b"), 1e-9, metrics);
            }
        }
    }

    @Test
    void aNeighbourThatNeverAnsweredIsUnansweredNotLossyAndItsSeriesGoWhenItLeaves() throws Exception {
        try (FaultyNeighbour b = FaultyNeighbour.healthy(new InetSocketAddress("127.0.0.2", 0));
             FaultyNeighbour c = new FaultyNeighbour(new InetSocketAddress("127.0.0.3", b.port()),
                     n -> true, n -> false, n -> false)) {
            AtomicReference<List<Neighbour>> neighbours = new AtomicReference<>(List.of(
                    neighbour("node-b", "127.0.0.2"), neighbour("node-c", "127.0.0.3")));
            try (UdpProber prober = prober(b.port(), PROBES, INTERVAL, neighbours)) {
                Map<String, UdpPathResult> latest = await(prober, "both paths", l -> l.size() == 2);
                assertEquals(List.of("path_node-b", "path_node-c"), new ArrayList<>(latest.keySet()));
                assertEquals(b.port(), c.port(), "both answer where the prober probes");
                assertEquals(new UdpPathResult(10, 10, OptionalDouble.empty(), OptionalDouble.empty(), false),
                        latest.get("path_node-c"));
                assertEquals(UdpPathResult.UNANSWERED, latest.get("path_node-c").state());
                assertEquals(UdpPathResult.ANSWERING, latest.get("path_node-b").state());
                assertEquals(0, latest.get("path_node-b").lost());
                String metrics = scrape();
                assertEquals(10, sample(metrics, "kubenurse_udp_probes_lost_total", "path_node-c"), "still counted");
                assertFalse(metrics.contains("kubenurse_udp_jitter_seconds{type=\"path_node-c\"}"), metrics);

                neighbours.set(List.of(neighbour("node-b", "127.0.0.2")));
                await(prober, "node-c gone", l -> l.keySet().equals(java.util.Set.of("path_node-b")));
                String after = scrape();
                assertFalse(after.contains("path_node-c"), "series of the neighbour that left: " + after);
                assertTrue(after.contains("kubenurse_udp_probes_sent_total{type=\"path_node-b\"}"), after);
            }
        }
    }

    @Test
    void afterItsFirstAnswerANeighboursSilenceIsLoss() throws Exception {
        // 5 probes a cycle: the first cycle unanswered, the second answered, the later ones unanswered again
        try (FaultyNeighbour b = new FaultyNeighbour(new InetSocketAddress("127.0.0.2", 0),
                n -> n <= 5 || n > 10, n -> false, n -> false)) {
            AtomicReference<List<Neighbour>> neighbours = new AtomicReference<>(List.of(neighbour("node-b", "127.0.0.2")));
            try (UdpProber prober = prober(b.port(), 5, Duration.ofSeconds(1), neighbours)) {
                UdpPathResult first = await(prober, "first cycle", l -> !l.isEmpty()).get("path_node-b");
                assertEquals(UdpPathResult.UNANSWERED, first.state(), first.toString());
                await(prober, "an answered cycle", l -> l.get("path_node-b").lost() == 0);
                UdpPathResult silent = await(prober, "a silent cycle after it",
                        l -> l.get("path_node-b").lost() == 5).get("path_node-b");
                assertEquals(UdpPathResult.ANSWERING, silent.state(), "lost, not unanswered: " + silent);
                assertEquals(OptionalDouble.empty(), silent.rttP50Seconds());
            }
        }
    }
}
