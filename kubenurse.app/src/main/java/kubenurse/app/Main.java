package kubenurse.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import kubenurse.app.internal.Application;
import kubenurse.app.internal.ExitStatus;

/** Entry point: {@code java -m kubenurse.app/kubenurse.app.Main}. Exit statuses are in {@link ExitStatus}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Every check must really resolve its host name, as Go does: no positive or negative DNS caching.
        // Set before anything touches InetAddress, which reads these once.
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        int status = new Application(System.getenv(), hostname(), System.err).run(List.of(args));
        System.exit(status);
    }

    /** Go's os.Hostname: the kernel's host name, without a DNS lookup. */
    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | SecurityException unavailable) {
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment != null ? fromEnvironment : "localhost";
        }
    }
}
