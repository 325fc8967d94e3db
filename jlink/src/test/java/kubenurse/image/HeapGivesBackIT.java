package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kubenurse.image.fixture.ConnectionAttack;
import kubenurse.image.fixture.ProcStatus;
import kubenurse.image.fixture.RunningImage;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;

/**
 * The image's heap may grow to -Xmx under a flood of connections, but it must give the memory back once the
 * flood is over, so that the DaemonSet's memory request holds at rest: the serial collector, left to itself,
 * shrinks a heap in steps that every young collection resets, so a heap once grown stays grown (jlink/link.sh,
 * kubenurse.app's HeapSoftLimit).
 */
class HeapGivesBackIT {

    /** What the heap may keep beyond its size before the flood (young generation, fragments, the malloc arenas). */
    private static final long SLACK_KIB = 10 * 1024;
    /** The soft limit's longest wait (30 s) while the flood holds live data, plus its collection. */
    private static final Duration GIVE_BACK = Duration.ofSeconds(45);

    @Test
    void residentMemoryReturnsNearItsRestingSizeAfterAFloodOfHeldConnections() throws Exception {
        try (RunningImage image = RunningImage.start(Map.of("KUBENURSE_SHUTDOWN_DURATION", "0s",
                "KUBENURSE_CHECK_INTERVAL", "1s"), List.of())) {
            image.awaitAlive(Duration.ofSeconds(20));
            Thread.sleep(5_000); // the first checks' classes and code, and a collection or two
            long resting = rssKib(image);
            long flooded;
            try (ConnectionAttack attack = new ConnectionAttack(image.port)) {
                // unfinished request heads: ~30 KiB of heap each (BENCHMARKS.md section 8), ~30 MiB in all
                attack.hold(1_000, 0, Duration.ofSeconds(30));
                Thread.sleep(2_000);
                flooded = rssKib(image);
                System.out.printf("heap: resting RSS %d KiB; %s; RSS %d KiB%n", resting, attack.summary(), flooded);
            }
            assertTrue(flooded > resting + 2 * SLACK_KIB, "the flood did not grow the heap: " + flooded + " KiB");
            long floodOver = System.nanoTime();
            long now = Eventually.within(GIVE_BACK, Duration.ofMillis(500), "RSS in KiB back within " + SLACK_KIB
                    + " KiB of resting after the flood", () -> rssKib(image), rss -> rss <= resting + SLACK_KIB,
                    () -> "resting " + resting + " KiB, flooded " + flooded + " KiB");
            System.out.printf("heap: RSS %d KiB %.1f s after the flood (resting %d KiB, flooded %d KiB)%n", now,
                    (System.nanoTime() - floodOver) / 1e9, resting, flooded);
            assertTrue(image.process.isAlive(), image.output());
        }
    }

    private static long rssKib(RunningImage image) {
        return Long.parseLong(ProcStatus.field(image.process.pid(), "VmRSS").replace("kB", "").trim());
    }
}
