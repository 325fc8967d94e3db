package kubenurse.config;

import java.util.Optional;

/**
 * Who this kubenurse is.
 *
 * @param podName  KUBENURSE_POD_NAME, default the host name (as Go does)
 * @param nodeName KUBENURSE_NODE_NAME; when empty, discovery takes our own pod's spec.nodeName
 */
public record Identity(String podName, Optional<String> nodeName) {
}
