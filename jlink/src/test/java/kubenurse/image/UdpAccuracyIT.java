package kubenurse.image;

import static kubenurse.image.fixture.UdpCluster.FAULTY;
import static kubenurse.image.fixture.UdpCluster.NODES;
import static kubenurse.image.fixture.UdpCluster.path;
import static kubenurse.image.fixture.UdpCluster.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import kubenurse.image.fixture.NetworkNamespaces;
import kubenurse.image.fixture.UdpCluster;
import kubenurse.image.fixture.UdpCycleAligned;
import kubenurse.image.fixture.UdpDelayFigures;
import kubenurse.image.fixture.UdpFaultRelay;
import kubenurse.image.fixture.UdpFaultRelay.Counts;
import kubenurse.image.fixture.UdpFaultRelay.Fault;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UDP probe's figures against faults injected by a relay in front of one node (issue 14): healthy links lose
 * nothing, 10 % loss each way reads as 19 % round-trip loss on that node's paths only, +50 ms each way as a
 * 100 ms round trip without jitter, a blackhole as 100 % loss within two intervals and its end as recovery
 * within two more. Each checker's counts are held against the relay's own. Prints the figures measured.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "usable", disabledReason = "needs root and iproute2 (ip netns): the UDP accuracy suite was not run")
class UdpAccuracyIT {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** 100 a cycle: 600 probes a second over the six paths, so 10,000 take 17 s, within the CI budget. */
    private static final int PROBES = 100;
    private static final long SEED = 14;
    private static final String SENT = "kubenurse_udp_probes_sent_total";
    private static final String LOST = "kubenurse_udp_probes_lost_total";
    /** Node 0 and 1 check the faulty node through the relay. */
    private static final int[] CHECKERS = {0, 1};

    @TempDir
    static Path dir;
    private static UdpCluster cluster;

    static boolean usable() {
        return NetworkNamespaces.usableFor("UdpAccuracyIT");
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = UdpCluster.start(dir, INTERVAL, PROBES, SEED);
    }

    /** A test that fails half-way leaves no fault behind for the next. */
    @AfterEach
    void heal() {
        if (cluster != null) {
            cluster.relay().set(Fault.NONE, Fault.NONE);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void healthyLinksLoseNothingOverTenThousandProbes() throws Exception {
        long started = System.nanoTime();
        waitFor("every pod probes both neighbours, all answered, none lost", Duration.ofSeconds(40), () -> {
            for (int n = 0; n < NODES; n++) {
                JsonObject udp = cluster.udp(n);
                if (udp == null || udp.size() != 2) {
                    return null;
                }
                for (JsonObject.Member path : udp) {
                    JsonObject entry = path.getValue().asObject();
                    if (!"answering".equals(entry.getString("state", "")) || entry.getInt("lost", -1) != 0) {
                        return null;
                    }
                }
            }
            return true;
        });
        System.out.printf("udp accuracy: all paths answering after %.1f s%n", (System.nanoTime() - started) / 1e9);
        double[] before = totals(SENT);
        double[] lostBefore = totals(LOST);
        Counts relayBefore = cluster.relay().counts();
        long windowStart = System.nanoTime();
        double[] now = before;
        while (now[NODES] - before[NODES] < 10_000) {
            assertTrue(System.nanoTime() - windowStart < Duration.ofSeconds(60).toNanos(), "probes sent in 60 s: "
                    + (now[NODES] - before[NODES]) + cluster.logs());
            Thread.sleep(500);
            now = totals(SENT);
        }
        // the last probes' losses are counted when their cycle ends
        Thread.sleep(INTERVAL.plusMillis(300));
        double[] lostAfter = totals(LOST);
        Counts relay = cluster.relay().counts().minus(relayBefore);
        System.out.printf("udp accuracy: healthy: %.0f probes over %d paths in %.1f s, %.0f lost (per node sent %s, lost %s);"
                + " relay: %s%n", now[NODES] - before[NODES], NODES * (NODES - 1), (System.nanoTime() - windowStart) / 1e9,
                lostAfter[NODES] - lostBefore[NODES], deltas(before, now), deltas(lostBefore, lostAfter), relay);
        assertEquals(0, lostAfter[NODES] - lostBefore[NODES], "lost on healthy links: " + deltas(lostBefore, lostAfter));
        assertEquals(0, relay.droppedThere() + relay.droppedBack());
    }

    @Test
    @Order(2)
    void tenPercentLossEachWayIsNineteenPercentRoundTripOnTheFaultyNodesPathsOnly() throws Exception {
        Map<String, Double> othersBefore = otherPathsLost();
        cluster.relay().set(new Fault(0.1, Duration.ZERO), new Fault(0.1, Duration.ZERO));
        Thread.sleep(INTERVAL);
        List<UdpCycleAligned> start = new ArrayList<>();
        for (int n : CHECKERS) {
            start.add(UdpCycleAligned.take(cluster, n));
        }
        waitFor("1,500 probes on each faulty path", Duration.ofSeconds(40), () -> {
            for (int i = 0; i < CHECKERS.length; i++) {
                if (sample(cluster.metrics(CHECKERS[i]), SENT, path(FAULTY)) - start.get(i).sent() < 1500) {
                    return null;
                }
            }
            return true;
        });
        double sent = 0;
        double lost = 0;
        for (int i = 0; i < CHECKERS.length; i++) {
            UdpCycleAligned end = UdpCycleAligned.take(cluster, CHECKERS[i]);
            double pathSent = end.sent() - start.get(i).sent();
            double pathLost = end.lost() - start.get(i).lost();
            Counts relay = end.relay().minus(start.get(i).relay());
            long relayLost = relay.received() - relay.forwardedBack();
            System.out.printf("udp accuracy: 10 %% each way: %s -> %s: sent %.0f, lost %.0f = %.2f %%; relay: received %d, "
                    + "dropped %d there and %d back, round trips broken %d = %.2f %%%n", UdpCluster.node(CHECKERS[i]),
                    path(FAULTY), pathSent, pathLost, 100 * pathLost / pathSent, relay.received(), relay.droppedThere(),
                    relay.droppedBack(), relayLost, 100.0 * relayLost / relay.received());
            // windows of whole cycles on both sides: each probe kubenurse counts is one the relay saw, each loss one it made
            assertEquals(relay.received(), pathSent, 0, "probes sent by " + UdpCluster.node(CHECKERS[i]) + " vs. seen by the relay");
            assertEquals(relayLost, pathLost, 0, "losses reported by " + UdpCluster.node(CHECKERS[i]) + " vs. made by the relay");
            assertTrue(Math.abs(pathLost / pathSent - 0.19) <= 0.04, "19 +- 4 % on one path: " + 100 * pathLost / pathSent);
            sent += pathSent;
            lost += pathLost;
        }
        cluster.relay().set(Fault.NONE, Fault.NONE);
        System.out.printf("udp accuracy: 10 %% each way: both checkers %.0f probes, %.2f %% lost (expected 19 %% +- 4)%n",
                sent, 100 * lost / sent);
        assertTrue(Math.abs(lost / sent - 0.19) <= 0.04, "19 +- 4 %: " + 100 * lost / sent);
        assertEquals(othersBefore, otherPathsLost(), "the other paths lose nothing");
    }

    @Test
    @Order(3)
    void fiftyMillisecondsEachWayAreAHundredMillisecondRoundTripWithoutJitter() throws Exception {
        cluster.relay().set(new Fault(0, Duration.ofMillis(50)), new Fault(0, Duration.ofMillis(50)));
        Thread.sleep(INTERVAL.multipliedBy(2).plusMillis(500));
        UdpDelayFigures figures = UdpDelayFigures.measure(cluster, CHECKERS, Duration.ofSeconds(6));
        cluster.relay().set(Fault.NONE, Fault.NONE);
        System.out.println("udp accuracy: +50 ms each way: " + figures);
        for (int i = 0; i < CHECKERS.length; i++) {
            // The mean takes every late wake-up of this shared machine: the relay's (at load 5 it held datagrams a
            // few ms past their 50 ms; its own clock says by how much) and the checkers' own (their direct paths, in
            // the same cycles, show it: 0.2 ms quiet, 3.4 to 5 ms at load 7 to 16). So the bound is on the mean
            // against the delay the relay really added plus that direct-path figure; the p50 against 100 ms as is.
            assertTrue(figures.relayAdded()[i] >= 0.100, "the relay delayed both ways: " + figures);
            double expected = figures.relayAdded()[i] + figures.directMean()[i];
            assertTrue(Math.abs(figures.mean()[i] - expected) <= 0.005, "RTT mean vs. the relay's added delay and the "
                    + "direct path's mean, " + expected * 1e3 + " ms: " + figures);
            assertTrue(Math.abs(figures.medianP50()[i] - 0.100) <= 0.005, "RTT p50 " + figures);
            // Jitter bound 5 ms, a twentieth of the round trip: a constant delay must not read as jitter (the relay
            // itself varies by 0.06 to 0.2 ms between consecutive round trips, UdpFaultRelayTest, when the machine is
            // quiet); seen 0.25 to 0.5 ms at load 2, 1.5 to 2.2 ms at load 7.6, 4.3 ms at load 16.8
            assertTrue(figures.medianJitter()[i] <= 0.005, "jitter " + figures);
            assertTrue(figures.directMean()[i] < 0.010, "a path without the relay stays fast: " + figures);
        }
    }

    @Test
    @Order(4)
    void aBlackholedNodeIsAtFullLossWithinTwoIntervalsAndRecoversWithinTwoMore() throws Exception {
        waitFor("no loss on the faulty node's paths", Duration.ofSeconds(10), () -> lostOnFaulty(0) == 0 && lostOnFaulty(1) == 0 ? true : null);
        long cut = System.nanoTime();
        cluster.relay().set(Fault.BLACKHOLE, Fault.BLACKHOLE);
        double[] full = untilBoth(cut, entry -> entry.getInt("sent", 0) > 0 && entry.getInt("lost", -1) == entry.getInt("sent", 0));
        for (int n : CHECKERS) {
            assertEquals("answering", cluster.udp(n).get(path(FAULTY)).asObject().getString("state", ""),
                    "a node that answered before is lossy, not udp_unanswered");
        }
        long healed = System.nanoTime();
        cluster.relay().set(Fault.NONE, Fault.NONE);
        double[] back = untilBoth(healed, entry -> entry.getInt("lost", -1) == 0);
        System.out.printf("udp accuracy: blackhole: 100 %% loss reported after %.2f / %.2f s, none again %.2f / %.2f s after "
                + "the end (interval %d ms)%n", full[0], full[1], back[0], back[1], INTERVAL.toMillis());
        // two intervals: the cycle under way when the fault begins ends within one, the next, wholly faulty, within two;
        // 300 ms more for this test's 50 ms polling and a loaded machine's scheduling
        double bound = 2 * INTERVAL.toMillis() / 1e3 + 0.3;
        for (int i = 0; i < 2; i++) {
            assertTrue(full[i] <= bound && back[i] <= bound, "within " + bound + " s: full loss after " + full[i]
                    + " s, recovery after " + back[i] + " s");
        }
    }

    private static int lostOnFaulty(int n) {
        JsonObject udp = cluster.udp(n);
        JsonValue entry = udp == null ? null : udp.get(path(FAULTY));
        return entry == null ? -1 : entry.asObject().getInt("lost", -1);
    }

    /** Seconds from {@code since} until each checker's last cycle of the faulty path meets {@code condition}. */
    private static double[] untilBoth(long since, java.util.function.Predicate<JsonObject> condition) throws Exception {
        double[] seen = {-1, -1};
        long deadline = since + INTERVAL.multipliedBy(6).toNanos();
        while (seen[0] < 0 || seen[1] < 0) {
            for (int i = 0; i < 2; i++) {
                JsonObject udp = seen[i] < 0 ? cluster.udp(CHECKERS[i]) : null;
                JsonValue entry = udp == null ? null : udp.get(path(FAULTY));
                if (entry != null && condition.test(entry.asObject())) {
                    seen[i] = (System.nanoTime() - since) / 1e9;
                }
            }
            assertTrue(System.nanoTime() < deadline, "not within 6 intervals: " + cluster.udp(0) + " " + cluster.udp(1));
            Thread.sleep(50);
        }
        return seen;
    }

    /** Lost so far on every path that does not lead to the faulty node. */
    private static Map<String, Double> otherPathsLost() {
        Map<String, Double> lost = new java.util.TreeMap<>();
        for (int n = 0; n < NODES; n++) {
            Map<String, Double> metrics = cluster.metrics(n);
            for (int other = 0; other < NODES; other++) {
                if (other != n && other != FAULTY) {
                    lost.put(UdpCluster.node(n) + " " + path(other), sample(metrics, LOST, path(other)));
                }
            }
        }
        return lost;
    }

    /** Per node the sum over its paths of a counter, and at index NODES the sum over all. */
    private static double[] totals(String name) {
        double[] totals = new double[NODES + 1];
        for (int n = 0; n < NODES; n++) {
            Map<String, Double> metrics = cluster.metrics(n);
            for (int other = 0; other < NODES; other++) {
                totals[n] += other == n ? 0 : sample(metrics, name, path(other));
            }
            totals[NODES] += totals[n];
        }
        return totals;
    }

    private static String deltas(double[] before, double[] after) {
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < NODES; n++) {
            out.append(n == 0 ? "" : "/").append(String.format("%.0f", after[n] - before[n]));
        }
        return out.toString();
    }

    /** {@link Eventually} for a probe that answers null until it holds; a failure shows the pods' logs. */
    static <T> T waitFor(String what, Duration limit, Callable<T> probe) throws Exception {
        return Eventually.within(limit, Duration.ofMillis(100), what, probe::call, Objects::nonNull, cluster::logs);
    }

    static {
        // the suite's figures go to BENCHMARKS.md: say where and when they were taken
        try {
            System.out.println("udp accuracy: machine " + Files.readString(Path.of("/proc/loadavg")).strip() + " (loadavg), "
                    + Runtime.getRuntime().availableProcessors() + " cpus, " + java.time.Instant.now());
        } catch (java.io.IOException unreadable) {
            // figures without it
        }
    }
}
