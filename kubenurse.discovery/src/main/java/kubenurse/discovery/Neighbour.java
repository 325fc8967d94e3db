package kubenurse.discovery;

import kubenurse.discovery.internal.HashRing;

/**
 * A kubenurse pod on another node that this one checks over the pod network. Field names follow /alive's
 * neighbourhood entries.
 *
 * @param podName  metadata.name
 * @param podIp    status.podIP, where it is called
 * @param hostIp   status.hostIP
 * @param nodeName spec.nodeName, the path_ type's suffix
 * @param phase    status.phase (always Running for a neighbour)
 */
public record Neighbour(String podName, String podIp, String hostIp, String nodeName, String phase) {

    /**
     * The node's position on the hash ring, upstream's NodeHash: the first 8 bytes of SHA-256 of the node name as
     * an unsigned 64-bit number. Java has no unsigned long, so positions from 2^63 up are negative here: print
     * them with {@link Long#toUnsignedString(long)}. Derived from the node name, so it can never disagree with it.
     */
    public long nodeHash() {
        return HashRing.position(nodeName);
    }

    /** Where node {@code nodeName} is on the hash ring (as {@link #nodeHash()}): for our own node, which is no neighbour. */
    public static long ringPosition(String nodeName) {
        return HashRing.position(nodeName);
    }

    /** The metric and result type of the path check to this neighbour. */
    public String checkType() {
        return "path_" + nodeName;
    }
}
