package kubenurse.checks.internal.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.function.IntPredicate;

/**
 * A neighbour's responder for tests, on a loopback address, that answers the n-th probe it receives (from 1)
 * as told: not at all, twice, or held back until after the reply to the next probe.
 */
final class FaultyNeighbour implements AutoCloseable {

    private final DatagramChannel channel;
    private final IntPredicate drop;
    private final IntPredicate duplicate;
    private final IntPredicate holdBack;
    private final Thread thread;

    FaultyNeighbour(InetSocketAddress address, IntPredicate drop, IntPredicate duplicate, IntPredicate holdBack)
            throws IOException {
        this.channel = DatagramChannel.open().bind(address);
        this.drop = drop;
        this.duplicate = duplicate;
        this.holdBack = holdBack;
        this.thread = Thread.ofPlatform().name("faulty-neighbour").daemon().start(this::serve);
    }

    /** A neighbour that answers every probe. */
    static FaultyNeighbour healthy(InetSocketAddress address) throws IOException {
        return new FaultyNeighbour(address, n -> false, n -> false, n -> false);
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void serve() {
        ByteBuffer held = null;
        SocketAddress heldFor = null;
        int received = 0;
        try {
            while (true) {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                int n = ++received;
                if (drop.test(n)) {
                    continue;
                }
                buffer.put(UdpPacket.KIND_OFFSET, UdpPacket.REPLY);
                if (holdBack.test(n)) {
                    held = buffer;
                    heldFor = from;
                    continue;
                }
                channel.send(buffer.duplicate(), from);
                if (duplicate.test(n)) {
                    channel.send(buffer.duplicate(), from);
                }
                if (held != null) {
                    channel.send(held, heldFor);
                    held = null;
                }
            }
        } catch (ClosedChannelException closed) {
            // the end of the test
        } catch (IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            thread.join(2000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
