package kubenurse.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test "nodes": one network namespace per node, each joined by a veth pair to a bridge in the root namespace
 * (the bridge holds .1, nodes .11, .12, ...), on a private /24 of their own with no route out. Names carry
 * a random tag, so runs never collide; {@link #close()} removes every namespace, link and file it made,
 * and a shutdown hook does so if the JVM ends first.
 */
final class NetworkNamespaces implements AutoCloseable {

    private final String tag = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    private final String subnet = "10.213." + (100 + ThreadLocalRandom.current().nextInt(100)) + ".";
    private final List<String> nodes = new ArrayList<>();
    private final Thread cleanup = new Thread(this::removeAll);
    private boolean bridgeMade;

    NetworkNamespaces() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Root and iproute2: what making namespaces takes. */
    static boolean usable() {
        try {
            run(true, "ip", "netns", "list");
            return run(false, "id", "-u").strip().equals("0");
        } catch (IOException | InterruptedException | RuntimeException unavailable) {
            return false;
        }
    }

    String bridge() {
        return "knb" + tag;
    }

    String bridgeIp() {
        return subnet + "1";
    }

    String ip(int node) {
        return subnet + (11 + node);
    }

    String namespace(int node) {
        return "kn" + tag + "-n" + node;
    }

    private String hostSide(int node) {
        return "knh" + tag + "n" + node;
    }

    /** Makes the bridge and {@code count} nodes; /etc/netns/NS/hosts maps {@code hostsLine} inside each. */
    void create(int count, String hostsLine) throws IOException, InterruptedException {
        String bridge = "knb" + tag;
        run(true, "ip", "link", "add", bridge, "type", "bridge");
        bridgeMade = true;
        run(true, "ip", "addr", "add", bridgeIp() + "/24", "dev", bridge);
        run(true, "ip", "link", "set", bridge, "up");
        for (int n = 0; n < count; n++) {
            String ns = namespace(n);
            String nodeSide = "knn" + tag + "n" + n;
            run(true, "ip", "netns", "add", ns);
            nodes.add(ns);
            run(true, "ip", "link", "add", hostSide(n), "type", "veth", "peer", "name", nodeSide);
            run(true, "ip", "link", "set", nodeSide, "netns", ns);
            run(true, "ip", "link", "set", hostSide(n), "master", bridge);
            run(true, "ip", "link", "set", hostSide(n), "up");
            run(true, "ip", "netns", "exec", ns, "ip", "addr", "add", ip(n) + "/24", "dev", nodeSide);
            run(true, "ip", "netns", "exec", ns, "ip", "link", "set", nodeSide, "up");
            run(true, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            Path hosts = Path.of("/etc/netns", ns, "hosts");
            Files.createDirectories(hosts.getParent());
            Files.writeString(hosts, "127.0.0.1 localhost\n" + hostsLine + "\n");
        }
    }

    /** 100 % packet loss for a node: its link to the bridge goes down. */
    void cut(int node) throws IOException, InterruptedException {
        run(true, "ip", "link", "set", hostSide(node), "down");
    }

    void restore(int node) throws IOException, InterruptedException {
        run(true, "ip", "link", "set", hostSide(node), "up");
    }

    /** The command line that runs {@code command} inside a node's namespace with exactly {@code env}. */
    List<String> inNode(int node, java.util.Map<String, String> env, String command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node), "env", "-i"));
        env.forEach((k, v) -> line.add(k + "=" + v));
        line.add(command);
        return line;
    }

    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void removeAll() {
        for (String ns : nodes) {
            try {
                for (String pid : run(false, "ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | InterruptedException | RuntimeException ignored) {
                // nothing left running, or nothing to learn
            }
            quietly("ip", "netns", "del", ns);
            Path dir = Path.of("/etc/netns", ns);
            try {
                Files.deleteIfExists(dir.resolve("hosts"));
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // best effort: the namespace itself is gone
            }
        }
        nodes.clear();
        if (bridgeMade) {
            quietly("ip", "link", "del", "knb" + tag);
            bridgeMade = false;
        }
    }

    private static void quietly(String... command) {
        try {
            run(false, command);
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // cleanup goes on with the next item
        }
    }

    static String run(boolean check, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer in 30 s");
        }
        if (check && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
