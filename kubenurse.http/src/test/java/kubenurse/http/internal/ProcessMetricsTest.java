package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Reads this test JVM's real /proc/self. */
class ProcessMetricsTest {

    @Test
    void exportsTheStandardProcessMetricsWithPlausibleValues() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ProcessMetrics.register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);

        double rss = value(text, "process_resident_memory_bytes");
        assertTrue(rss > 10e6 && rss < 8e9, "rss " + rss);
        assertTrue(value(text, "process_virtual_memory_bytes") >= rss);
        double fds = value(text, "process_open_fds");
        assertTrue(fds >= 3, "fds " + fds);
        assertTrue(value(text, "process_max_fds") >= fds);
        assertTrue(value(text, "process_cpu_seconds_total") > 0);
        double start = value(text, "process_start_time_seconds");
        double now = System.currentTimeMillis() / 1e3;
        assertTrue(start > now - 3600 && start <= now + 1, "start " + start);
    }

    @Test
    void cpuSecondsCountEveryThread() throws Exception {
        ProcessMetrics metrics = new ProcessMetrics(java.nio.file.Path.of("/proc/self"));
        double before = metrics.cpuSeconds().orElseThrow();
        // spins until it has had 0.6 s of CPU, however long a busy machine makes that take
        Thread busy = Thread.ofPlatform().start(() -> {
            long x = 0;
            while (ownCpuNanos() < 600_000_000L) {
                x += Long.numberOfTrailingZeros(x + System.nanoTime());
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        busy.join();
        double used = metrics.cpuSeconds().orElseThrow() - before;
        assertTrue(used >= 0.5, "a thread that spun for 0.6 s of CPU is counted: " + used + " s");
    }

    /** CPU time of the calling platform thread: the first field of the kernel's schedstat. */
    private static long ownCpuNanos() {
        try {
            return Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"))
                    .split(" ")[0]);
        } catch (java.io.IOException unreadable) {
            throw new java.io.UncheckedIOException(unreadable);
        }
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
        assertTrue(m.find(), name + " missing in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
