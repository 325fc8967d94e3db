package kubenurse.checks.internal.udp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import kubenurse.config.LogValue;

/**
 * Answers the neighbours' UDP probes: a datagram of our format and kind probe goes back to its sender with
 * kind reply, the same 24 bytes, as long as the rate limit allows; anything else is dropped without a word, so
 * kubenurse can neither amplify nor reflect what a stranger sends.
 */
final class UdpResponder implements AutoCloseable {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final DatagramChannel channel;
    private final UdpRateLimit limit;
    private final Thread thread;
    private final AtomicLong answered = new AtomicLong();

    /** @param channel bound, in blocking mode; closed by {@link #close()} */
    UdpResponder(DatagramChannel channel, UdpRateLimit limit) {
        this.channel = channel;
        this.limit = limit;
        // a platform thread: a reply must not wait for a carrier thread, it is part of the RTT the neighbour measures
        this.thread = Thread.ofPlatform().name("kubenurse-udp-responder").daemon().unstarted(this::serve);
    }

    void start() {
        thread.start();
    }

    private void serve() {
        // one byte more than a packet: a longer datagram is truncated to SIZE + 1, and so is still refused
        ByteBuffer buffer = ByteBuffer.allocateDirect(UdpPacket.SIZE + 1);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                buffer.flip();
                if (from instanceof InetSocketAddress source && isProbe(buffer)
                        && limit.allow(source.getAddress(), System.nanoTime())) {
                    buffer.put(UdpPacket.KIND_OFFSET, UdpPacket.REPLY);
                    answered.incrementAndGet();
                    channel.send(buffer, source);
                }
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException failed) {
                // a reply that cannot go out (no route back) must not stop the answers to everyone else
                LOG.log(Level.DEBUG, "event=udp_reply_failed error=" + LogValue.quote(failed));
            }
        }
    }

    private static boolean isProbe(ByteBuffer datagram) {
        return UdpPacket.decode(datagram).filter(p -> p.kind() == UdpPacket.PROBE).isPresent();
    }

    /** Replies sent so far (counted as they go out). */
    long answered() {
        return answered.get();
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Closes the socket, which ends the receiving thread, and waits for it briefly. */
    @Override
    public void close() {
        try {
            channel.close();
            thread.join(2000);
        } catch (IOException failed) {
            LOG.log(Level.WARNING, "event=close_failed resource=udp_responder error=" + LogValue.quote(failed));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
