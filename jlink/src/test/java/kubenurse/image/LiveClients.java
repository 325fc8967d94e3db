package kubenurse.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kubenurse.testing.LiveObjects;

/**
 * The java.net.http clients a running image can still reach, counted from class histograms taken with the test
 * JDK's jcmd (the image has none of its own); each histogram runs a full collection first. A given-up client's
 * implementation is freed one collection after the client object itself (the JDK's Cleaner runs in between), so
 * histograms are taken until the count stops falling.
 *
 * @param clients         live HttpClient objects (jdk.internal.net.http.HttpClientFacade)
 * @param implementations live jdk.internal.net.http.HttpClientImpl objects
 */
record LiveClients(long clients, long implementations) {

    static LiveClients of(ProcessHandle jvm) throws IOException, InterruptedException {
        LiveClients last = null;
        for (int i = 0; i < 5; i++) {
            String histogram = histogram(jvm.pid());
            LiveClients now = new LiveClients(LiveObjects.count(histogram, "jdk.internal.net.http.HttpClientFacade"),
                    LiveObjects.count(histogram, "jdk.internal.net.http.HttpClientImpl"));
            if (last != null && now.implementations() >= last.implementations()) {
                return now;
            }
            last = now;
            Thread.sleep(300);
        }
        return last;
    }

    /** The JVM among a process and its descendants (the launcher execs java; `ip netns exec` may not). */
    static ProcessHandle jvm(ProcessHandle started) {
        return Stream.concat(Stream.of(started), started.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/bin/java")).orElse(false))
                .findFirst().orElse(started);
    }

    private static String histogram(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true).start();
        byte[] out = jcmd.getInputStream().readAllBytes();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.class_histogram failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
