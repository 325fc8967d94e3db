package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import kubenurse.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up failures; the full run, with signals, is tested on the linked image (ImageIT). */
class ApplicationTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private int run(Map<String, String> env) {
        return new Application(env, "host", new PrintStream(console, true, StandardCharsets.UTF_8)).run();
    }

    @Test
    void badConfigurationPrintsOneLinePerProblemAndExits2() {
        int status = run(Map.of("KUBENURSE_CHECK_INTERVAL", "5x", "KUBENURSE_USE_TLS", "maybe"));
        assertEquals(ExitStatus.CONFIG_ERROR, status);
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "config error: KUBENURSE_CHECK_INTERVAL=\"5x\": expected a positive duration such as 300ms, 5s, 1m30s "
                        + "(units ns, us, ms, s, m, h)",
                "config error: KUBENURSE_USE_TLS=\"maybe\": expected true or false",
                "kubenurse: 2 configuration error(s); exiting with status 2"), lines.stream().sorted().toList());
    }

    @Test
    void helpSaysHowToConfigureAndExits0WithoutStarting() {
        int status = new Application(Map.of(), "host", new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(List.of("--help"));
        assertEquals(ExitStatus.OK, status);
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("configured by environment variables") && !text.contains("event=listening"), text);
    }

    @Test
    void anyOtherArgumentIsRefused() {
        int status = new Application(Map.of(), "host", new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(List.of("--port", "9090"));
        assertEquals(ExitStatus.CONFIG_ERROR, status);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("unexpected argument(s) \"--port 9090\""));
    }

    @Test
    void portInUseExits4NamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int status = run(Map.of("KUBENURSE_HTTP_PORT", String.valueOf(taken.getLocalPort())));
            assertEquals(ExitStatus.LISTEN_ERROR, status);
            String text = console.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("cannot listen on port " + taken.getLocalPort()), text);
        }
    }

    /**
     * The UDP probe's port (in a cluster only) is bound after the HTTP server's: taken, it exits 4 too, and closes
     * that server. The API server here is a closed port: discovery retries in the background meanwhile.
     */
    @Test
    void udpPortInUseExits4NamingThePortAndClosesTheHttpServer(@TempDir Path dir) throws Exception {
        int httpPort;
        try (ServerSocket free = new ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        Map<String, String> env;
        try (TestCluster cluster = TestCluster.builder().start(dir)) {
            cluster.stopApi(); // its port is closed now
            env = cluster.environmentFor("host", null);
        }
        try (DatagramChannel taken = DatagramChannel.open().bind(new InetSocketAddress(0))) {
            int udpPort = ((InetSocketAddress) taken.getLocalAddress()).getPort();
            env.put("KUBENURSE_HTTP_PORT", String.valueOf(httpPort));
            env.put("KUBENURSE_UDP_PORT", String.valueOf(udpPort));
            int status = run(env);
            assertEquals(ExitStatus.LISTEN_ERROR, status);
            String text = console.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("cannot listen on UDP port " + udpPort + " (KUBENURSE_UDP_PORT)"), text);
        }
        try (ServerSocket again = new ServerSocket(httpPort)) {
            assertEquals(httpPort, again.getLocalPort(), "the HTTP server was closed");
        }
    }
}
