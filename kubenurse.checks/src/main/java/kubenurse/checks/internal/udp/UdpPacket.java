package kubenurse.checks.internal.udp;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The probe's wire format, 24 bytes big-endian: magic "KNUP", version 1, kind (1 probe, 2 reply), two zero
 * bytes, the sender's sequence number and its send time (System.nanoTime, echoed, opaque to the responder).
 * A fixed size with no variable part is what keeps the responder from reflecting arbitrary data.
 *
 * @param kind      {@link #PROBE} or {@link #REPLY}
 * @param sequence  per sender, increasing
 * @param sendNanos the sender's System.nanoTime() when it sent the probe
 */
record UdpPacket(byte kind, long sequence, long sendNanos) {

    static final int SIZE = 24;
    static final int MAGIC = 0x4B4E5550;
    static final byte VERSION = 1;
    static final byte PROBE = 1;
    static final byte REPLY = 2;
    static final int KIND_OFFSET = 5;

    UdpPacket {
        if (kind != PROBE && kind != REPLY) {
            throw new IllegalArgumentException("UDP packet kind is 1 (probe) or 2 (reply), not " + kind);
        }
    }

    /**
     * The packet in {@code datagram}'s remaining bytes, which must be exactly {@link #SIZE} long and of our
     * magic, version and a known kind; anything else is empty. Reads without moving the buffer's position.
     */
    static Optional<UdpPacket> decode(ByteBuffer datagram) {
        int at = datagram.position();
        if (datagram.remaining() != SIZE || datagram.getInt(at) != MAGIC || datagram.get(at + 4) != VERSION
                || datagram.getShort(at + 6) != 0) {
            return Optional.empty();
        }
        byte kind = datagram.get(at + KIND_OFFSET);
        if (kind != PROBE && kind != REPLY) {
            return Optional.empty();
        }
        return Optional.of(new UdpPacket(kind, datagram.getLong(at + 8), datagram.getLong(at + 16)));
    }

    /** Writes the packet into {@code into} (cleared first) and flips it for sending. */
    ByteBuffer encode(ByteBuffer into) {
        into.clear();
        into.putInt(MAGIC).put(VERSION).put(kind).putShort((short) 0).putLong(sequence).putLong(sendNanos);
        return into.flip();
    }

    /** A new buffer holding the packet, ready to send. */
    ByteBuffer encode() {
        return encode(ByteBuffer.allocate(SIZE));
    }
}
