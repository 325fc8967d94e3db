package kubenurse.http.internal;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The standard process_* metrics (the names client_java's ProcessMetrics and Go's collector export, read
 * by the kubenurse dashboard), taken from /proc and ProcessHandle instead of the java.management
 * module, which would add megabytes to the image and to every pod's memory.
 */
final class ProcessMetrics {

    private final Path proc;

    /** @param proc the process's /proc directory, normally /proc/self */
    ProcessMetrics(Path proc) {
        this.proc = proc;
    }

    /** Registers the process metrics of this process. */
    static void register(PrometheusRegistry registry) {
        new ProcessMetrics(Path.of("/proc/self")).registerWith(registry);
    }

    void registerWith(PrometheusRegistry registry) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        // not ProcessHandle's totalCpuDuration: for the current process it counts only some threads
        CounterWithCallback.builder().name("process_cpu_seconds_total").unit(Unit.SECONDS)
                .help("Total user and system CPU time spent in seconds")
                .callback(cb -> cpuSeconds().ifPresent(cb::call))
                .register(registry);
        GaugeWithCallback.builder().name("process_start_time_seconds").unit(Unit.SECONDS)
                .help("Start time of the process since unix epoch in seconds")
                .callback(cb -> info.startInstant().ifPresent(t -> cb.call(t.toEpochMilli() / 1e3)))
                .register(registry);
        GaugeWithCallback.builder().name("process_open_fds")
                .help("Number of open file descriptors")
                .callback(cb -> openFds().ifPresent(cb::call))
                .register(registry);
        GaugeWithCallback.builder().name("process_max_fds")
                .help("Maximum number of open file descriptors")
                .callback(cb -> maxFds().ifPresent(cb::call))
                .register(registry);
        GaugeWithCallback.builder().name("process_virtual_memory_bytes").unit(Unit.BYTES)
                .help("Virtual memory size in bytes")
                .callback(cb -> statusKiB("VmSize:").ifPresent(kib -> cb.call(kib * 1024)))
                .register(registry);
        GaugeWithCallback.builder().name("process_resident_memory_bytes").unit(Unit.BYTES)
                .help("Resident memory size in bytes")
                .callback(cb -> statusKiB("VmRSS:").ifPresent(kib -> cb.call(kib * 1024)))
                .register(registry);
    }

    /** utime + stime of /proc/self/stat, in clock ticks of 1/100 s (USER_HZ, fixed at 100 on Linux). */
    OptionalDouble cpuSeconds() {
        List<String> stat = lines("stat");
        if (stat.isEmpty()) {
            return OptionalDouble.empty();
        }
        String line = stat.getFirst();
        // the command name may hold spaces and parentheses: fields are counted after its closing one
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return OptionalDouble.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0);
    }

    OptionalDouble openFds() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            int count = 0;
            for (Path ignored : fds) {
                count++;
            }
            return OptionalDouble.of(count);
        } catch (IOException | SecurityException unavailable) {
            return OptionalDouble.empty();
        }
    }

    OptionalDouble maxFds() {
        for (String line : lines("limits")) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                return fields[0].equals("unlimited")
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(Double.parseDouble(fields[0]));
            }
        }
        return OptionalDouble.empty();
    }

    OptionalDouble statusKiB(String field) {
        for (String line : lines("status")) {
            if (line.startsWith(field)) {
                String[] fields = line.substring(field.length()).trim().split("\\s+");
                return OptionalDouble.of(Double.parseDouble(fields[0]));
            }
        }
        return OptionalDouble.empty();
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(proc.resolve(file));
        } catch (IOException | SecurityException unavailable) {
            return List.of();
        }
    }
}
