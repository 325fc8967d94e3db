package kubenurse.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP relay that stands for a slow node: it forwards bytes to the node at once, and bytes from the node
 * only after a set delay (as netem delay on the node's egress would, for data; a relay cannot delay the
 * TCP handshake, which it answers itself). Order is kept; each direction has its own thread.
 */
final class DelayingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private volatile Duration delay = Duration.ZERO;

    DelayingRelay(InetAddress listenOn, int port, InetSocketAddress target) throws IOException {
        this.listener = new ServerSocket(port, 50, listenOn);
        this.target = target;
        Thread.ofVirtual().name("relay-accept").start(this::accept);
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5000);
                // no Nagle on either side: a relay must not add waits of its own
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException closedOrRefused) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    /** Copies from one socket to the other; with {@code delayed}, each chunk waits out the delay first. */
    private void pump(Socket from, Socket to, boolean delayed) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk.bytes().length == 0) {
                        to.shutdownOutput();
                        return;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException gone) {
                // the other side went away
            }
        });
        try (InputStream in = from.getInputStream()) {
            byte[] buffer = new byte[16384];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long due = System.nanoTime() + (delayed ? delay.toNanos() : 0);
                queue.add(new Chunk(due, java.util.Arrays.copyOf(buffer, n)));
            }
        } catch (IOException gone) {
            // closed
        }
        queue.add(new Chunk(System.nanoTime() + (delayed ? delay.toNanos() : 0), new byte[0]));
        try {
            writer.join(Duration.ofSeconds(10));
            from.close();
            to.close();
        } catch (IOException | InterruptedException ignored) {
            // closing is all that is left
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
