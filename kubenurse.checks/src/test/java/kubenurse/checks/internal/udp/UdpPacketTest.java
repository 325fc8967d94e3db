package kubenurse.checks.internal.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UdpPacketTest {

    private static final String PROBE_HEX = "4b4e5550" + "01" + "01" + "0000" + "0000000000000102" + "fffffffffffffffe";

    @Test
    void encodesTheContractsLayoutBigEndian() {
        ByteBuffer encoded = new UdpPacket(UdpPacket.PROBE, 0x102, -2).encode();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        assertEquals(PROBE_HEX, HexFormat.of().formatHex(bytes));
    }

    @Test
    void decodesWhatItEncodes() {
        UdpPacket reply = new UdpPacket(UdpPacket.REPLY, Long.MAX_VALUE, 123_456_789L);
        assertEquals(Optional.of(reply), UdpPacket.decode(reply.encode()));
    }

    @Test
    void rejectsWrongMagicVersionKindReservedBytesAndSize() {
        for (int[] change : new int[][] {{0, 0x4a}, {3, 0x51}, {4, 0}, {4, 2}, {5, 0}, {5, 3}, {6, 1}, {7, 1}}) {
            byte[] bytes = HexFormat.of().parseHex(PROBE_HEX);
            bytes[change[0]] = (byte) change[1];
            assertEquals(Optional.empty(), UdpPacket.decode(ByteBuffer.wrap(bytes)),
                    "byte " + change[0] + " = " + change[1]);
        }
        byte[] good = HexFormat.of().parseHex(PROBE_HEX);
        assertTrue(UdpPacket.decode(ByteBuffer.wrap(good)).isPresent());
        assertEquals(Optional.empty(), UdpPacket.decode(ByteBuffer.wrap(good, 0, 23)), "one byte short");
        byte[] longer = new byte[25];
        System.arraycopy(good, 0, longer, 0, 24);
        assertEquals(Optional.empty(), UdpPacket.decode(ByteBuffer.wrap(longer)), "one byte long");
        assertEquals(Optional.empty(), UdpPacket.decode(ByteBuffer.allocate(0)), "empty");
    }

    @Test
    void decodingLeavesTheBufferWhereItWas() {
        ByteBuffer buffer = new UdpPacket(UdpPacket.PROBE, 7, 8).encode();
        UdpPacket.decode(buffer);
        assertEquals(0, buffer.position());
        assertEquals(UdpPacket.SIZE, buffer.remaining());
    }

    @Test
    void onlyProbeAndReplyAreKinds() {
        assertThrows(IllegalArgumentException.class, () -> new UdpPacket((byte) 3, 1, 1));
    }
}
