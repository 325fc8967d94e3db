package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The responder on a real socket on loopback, probed from other loopback addresses. */
class UdpResponderTest {

    private UdpResponder responder;
    private InetSocketAddress address;

    private void start(UdpRateLimit limit) throws IOException {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        responder = new UdpResponder(channel, limit);
        responder.start();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), responder.port());
    }

    @BeforeEach
    void generousLimit() throws IOException {
        start(new UdpRateLimit(1e6, 1e6, 1e6, 1e6, 16));
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    private static DatagramChannel client(String loopbackAddress) throws IOException {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(loopbackAddress, 0));
        channel.configureBlocking(false);
        return channel;
    }

    /** The next datagram within {@code waitMillis}, as received (up to 2 KiB), or empty. */
    private static Optional<ByteBuffer> receive(DatagramChannel channel, long waitMillis) throws IOException {
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            while (System.nanoTime() < deadline) {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                if (channel.receive(buffer) != null) {
                    return Optional.of(buffer.flip());
                }
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
            }
            return Optional.empty();
        }
    }

    @Test
    void answersAProbeWithTheSameBytesAsAReply() throws IOException {
        try (DatagramChannel client = client("127.0.0.1")) {
            client.send(new UdpPacket(UdpPacket.PROBE, 42, 4242).encode(), address);
            ByteBuffer reply = receive(client, 2000).orElseThrow(() -> new AssertionError("no reply"));
            assertEquals(UdpPacket.SIZE, reply.remaining(), "never larger than the request");
            assertEquals(Optional.of(new UdpPacket(UdpPacket.REPLY, 42, 4242)), UdpPacket.decode(reply));
        }
    }

    @Test
    void answersNothingButOurProbe() throws IOException {
        byte[] probe = new byte[UdpPacket.SIZE];
        new UdpPacket(UdpPacket.PROBE, 1, 1).encode().get(probe);
        byte[] longer = new byte[1400];
        System.arraycopy(probe, 0, longer, 0, probe.length);
        byte[] wrongMagic = probe.clone();
        wrongMagic[0] = 'X';
        byte[] wrongVersion = probe.clone();
        wrongVersion[4] = 2;
        byte[] reply = probe.clone();
        reply[UdpPacket.KIND_OFFSET] = UdpPacket.REPLY;
        try (DatagramChannel client = client("127.0.0.1")) {
            for (byte[] datagram : new byte[][] {longer, java.util.Arrays.copyOf(probe, 23), wrongMagic, wrongVersion,
                    reply, new byte[0], "GET / HTTP/1.0\r\n\r\n".getBytes()}) {
                client.send(ByteBuffer.wrap(datagram), address);
                assertEquals(Optional.empty(), receive(client, 200), HexFormat.of().formatHex(datagram));
            }
            client.send(ByteBuffer.wrap(probe), address);
            assertTrue(receive(client, 2000).isPresent(), "still answering our probes");
        }
        assertEquals(1, responder.answered());
    }

    @Test
    void aFloodFromOneSourceDoesNotStarveAnother() throws IOException {
        responder.close();
        start(new UdpRateLimit(50, 20, 1e6, 1e6, 16));
        try (DatagramChannel flooder = client("127.0.0.2"); DatagramChannel neighbour = client("127.0.0.3")) {
            ByteBuffer probe = new UdpPacket(UdpPacket.PROBE, 1, 1).encode();
            for (int i = 0; i < 2_000; i++) {
                flooder.send(probe.duplicate(), address);
            }
            int floodAnswered = 0;
            while (receive(flooder, 300).isPresent()) {
                floodAnswered++;
            }
            assertTrue(floodAnswered >= 20 && floodAnswered < 200, "the flood got its burst and little more: "
                    + floodAnswered);
            for (int i = 0; i < 20; i++) {
                neighbour.send(new UdpPacket(UdpPacket.PROBE, i, i).encode(), address);
                assertTrue(receive(neighbour, 2000).isPresent(), "probe " + i + " of the other source answered");
            }
        }
    }
}
