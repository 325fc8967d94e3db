package kubenurse.image;

import com.eclipsesource.json.Json;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The linked image started as a real process with an empty environment, plus what it printed. */
final class RunningImage implements AutoCloseable {

    static final Path IMAGE = Path.of(System.getProperty("kubenurse.image", "target/image"));
    static final Path DOCKERFILE = Path.of("../deploy/Dockerfile");
    /** Where deploy/Dockerfile puts the image. */
    static final String CONTAINER_IMAGE = "/opt/kubenurse";

    final Process process;
    final int port;
    final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RunningImage(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts bin/kubenurse with exactly {@code env} (nothing inherited), optionally through a prefix command. */
    static RunningImage start(Map<String, String> env, List<String> prefix) throws IOException {
        return start(env, prefix, null);
    }

    /** As {@link #start(Map, List)}, in the given working directory (null: this one). */
    static RunningImage start(Map<String, String> env, List<String> prefix, Path workingDirectory) throws IOException {
        return start(env, prefix, List.of(IMAGE.resolve("bin/kubenurse").toAbsolutePath().toString()), workingDirectory);
    }

    /**
     * Starts the image the way deploy/Dockerfile's ENTRYPOINT does, with the image where the container has
     * it (/opt/kubenurse) replaced by this build's image.
     */
    static RunningImage startAsContainer(Map<String, String> env, List<String> prefix, Path workingDirectory)
            throws IOException {
        return start(env, prefix, containerEntrypoint(), workingDirectory);
    }

    static List<String> containerEntrypoint() throws IOException {
        String entrypoint = Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith("ENTRYPOINT "))
                .reduce((first, last) -> last).orElseThrow(() -> new AssertionError("no ENTRYPOINT in " + DOCKERFILE));
        String image = IMAGE.toAbsolutePath().toString();
        return Json.parse(entrypoint.substring("ENTRYPOINT ".length())).asArray().values().stream()
                .map(value -> value.asString().replace(CONTAINER_IMAGE, image)).toList();
    }

    private static RunningImage start(Map<String, String> env, List<String> prefix, List<String> launcher,
            Path workingDirectory) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(launcher);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().clear();
        builder.environment().put("KUBENURSE_HTTP_PORT", String.valueOf(port));
        // the UDP probe's default 8080/udp is one port per host: images of parallel tests each need their own
        builder.environment().put("KUBENURSE_UDP_PORT", String.valueOf(freeUdpPort()));
        builder.environment().putAll(env);
        Path log = Files.createTempFile("kubenurse-image", ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new RunningImage(builder.start(), port, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, "*/*");
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits, bounded, until /alive answers. */
    HttpResponse<String> awaitAlive(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return get("/alive");
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no /alive within " + limit + "; output:\n" + output()
                            + "\nthe image's threads:\n" + threadDump(process.pid())
                            // the stub API server and this client live here: is it this side that stalled?
                            + "\nthe test JVM's threads:\n" + threadDump(ProcessHandle.current().pid()), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Every thread of a JVM, virtual ones included, through the test JDK's jcmd (the image has no jcmd of
     * its own): what a failure message needs when a process stopped answering.
     */
    static String threadDump(long pid) {
        try {
            Path dump = Files.createTempFile("kubenurse-threads", ".txt");
            Path printed = Files.createTempFile("kubenurse-jcmd", ".txt");
            Files.delete(dump);
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "Thread.dump_to_file", dump.toString())
                    .redirectErrorStream(true).redirectOutput(printed.toFile()).start();
            boolean done = jcmd.waitFor(30, TimeUnit.SECONDS);
            jcmd.destroyForcibly();
            String said = Files.readString(printed, StandardCharsets.UTF_8).strip();
            Files.delete(printed);
            if (!done || !Files.exists(dump)) {
                return "(no thread dump: " + (done ? said : "jcmd still running after 30 s") + ")";
            }
            String threads = Files.readString(dump, StandardCharsets.UTF_8);
            Files.delete(dump);
            return threads;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        client.close();
        Files.deleteIfExists(log);
    }
}
