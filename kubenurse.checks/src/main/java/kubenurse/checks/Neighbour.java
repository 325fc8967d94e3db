package kubenurse.checks;

/**
 * A kubenurse pod on another node that is checked over the pod network. Field names follow /alive's
 * neighbourhood entries.
 */
public record Neighbour(String podName, String podIp, String hostIp, String nodeName, String phase) {

    /** The metric and result type of the path check to this neighbour. */
    public String checkType() {
        return "path_" + nodeName;
    }
}
