package kubenurse.discovery;

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

    /** The metric and result type of the path check to this neighbour. */
    public String checkType() {
        return "path_" + nodeName;
    }
}
