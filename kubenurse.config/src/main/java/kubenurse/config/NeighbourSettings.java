package kubenurse.config;

/**
 * Which pods are neighbours.
 *
 * @param namespace          KUBENURSE_NAMESPACE; empty means all namespaces
 * @param filter             KUBENURSE_NEIGHBOUR_FILTER, a validated Kubernetes label selector (may be empty)
 * @param limit              KUBENURSE_NEIGHBOUR_LIMIT; 0 means every neighbour
 * @param allowUnschedulable KUBENURSE_ALLOW_UNSCHEDULABLE
 */
public record NeighbourSettings(String namespace, String filter, int limit, boolean allowUnschedulable) {
}
