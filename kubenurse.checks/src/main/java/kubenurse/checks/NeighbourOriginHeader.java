package kubenurse.checks;

/** The request header by which a path check tells the neighbour who is calling. */
public final class NeighbourOriginHeader {

    /** KUBENURSE-NEIGHBOUR-ORIGIN, carrying the caller's pod name. */
    public static final String NAME = "KUBENURSE-NEIGHBOUR-ORIGIN";

    private NeighbourOriginHeader() {
    }
}
