package kubenurse.discovery;

/**
 * A kubenurse pod this one checks.
 *
 * @param podName  metadata.name
 * @param podIp    status.podIP, where it is called
 * @param hostIp   status.hostIP
 * @param nodeName spec.nodeName, the path_ type's suffix
 * @param phase    status.phase (always Running for a neighbour)
 */
public record NeighbourPod(String podName, String podIp, String hostIp, String nodeName, String phase) {
}
