package kubenurse.discovery.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * The neighbour ring of the Go kubenurse (README "Neighbour discovery"): a node's position is the first 8 bytes of SHA-256 of its name, read as an
 * unsigned big-endian number; from our node, the others are ordered by clockwise distance
 * (their position minus ours, modulo 2^64). Taking the K nearest from every node means every node is
 * checked by exactly K others.
 */
public final class HashRing {

    private HashRing() {
    }

    /** Public for {@link kubenurse.discovery.Neighbour#nodeHash()}; this package is not exported. */
    public static long position(String nodeName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
    }

    /** The other nodes' names, nearest clockwise first; ties (never seen in SHA-256) broken by name. */
    static List<String> clockwiseFrom(String ownNode, List<String> others) {
        long own = position(ownNode);
        return others.stream()
                .map(name -> new Placed(name, position(name) - own))
                .sorted(Comparator.comparing(Placed::distance, Long::compareUnsigned).thenComparing(Placed::name))
                .map(Placed::name)
                .toList();
    }

    private record Placed(String name, long distance) {
    }
}
