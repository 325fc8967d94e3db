package kubenurse.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What /proc tells about a process: memory, threads, open files and their limit. */
final class ProcStatus {

    private ProcStatus() {
    }

    /** VmHWM (peak resident memory) in MiB, or why there is none: the process is gone. */
    static String peakRss(Process process) {
        String peak = field(process.pid(), "VmHWM");
        return peak.endsWith("kB") ? String.format("%.1f MiB", Long.parseLong(peak.replace("kB", "").trim()) / 1024.0)
                : "n/a (exited " + exitOf(process) + ")";
    }

    static String exitOf(Process process) {
        return process.isAlive() ? "(running)" : String.valueOf(process.exitValue());
    }

    /** A field of /proc/PID/status ("Threads", "VmRSS", ...), "?" when the process is gone. */
    static String field(long pid, String name) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(name + ":"))
                    .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("?");
        } catch (IOException gone) {
            return "?";
        }
    }

    /** Open file descriptors, -1 when the process is gone. */
    static long openFds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException gone) {
            return -1;
        }
    }

    /** The soft limit on open files (ulimit -n) of a process. */
    static long openFileLimit(long pid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc/" + pid + "/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst()
                .orElseThrow(() -> new IOException("no open files limit in /proc/" + pid + "/limits"));
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
    }
}
