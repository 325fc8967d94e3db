package kubenurse.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NeighbourTest {

    /** Expected values: the first 8 bytes of `printf a | sha256sum`, big-endian, as an unsigned decimal. */
    @Test
    void nodeHashIsTheRingPositionOfTheNodeNameAsAnUnsignedNumber() {
        Neighbour aboveTwoTo63 = new Neighbour("pod-a", "10.0.0.1", "192.168.0.1", "a", "Running");
        assertEquals("14598278634844962250", Long.toUnsignedString(aboveTwoTo63.nodeHash()));
        Neighbour below = new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "b", "Running");
        assertEquals("4477677635727087946", Long.toUnsignedString(below.nodeHash()));
    }

    @Test
    void checkTypeNamesTheNode() {
        assertEquals("path_node-b", new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "node-b", "Running").checkType());
    }
}
