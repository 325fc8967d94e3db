package kubenurse.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the Kubernetes API server is reached.
 *
 * @param host              KUBERNETES_SERVICE_HOST; empty outside a cluster (local mode)
 * @param port              KUBERNETES_SERVICE_PORT
 * @param dnsName           KUBERNETES_SERVICE_DNS (as upstream; alias KUBENURSE_KUBERNETES_SERVICE_DNS), the name
 *                          api_server_dns resolves
 * @param serviceAccountDir KUBENURSE_SERVICEACCOUNT_DIR, holds token, ca.crt and namespace
 */
public record ApiServer(Optional<String> host, int port, String dnsName, Path serviceAccountDir) {

    /** The bearer token file; re-read on use because the kubelet rotates it. */
    public Path tokenFile() {
        return serviceAccountDir.resolve("token");
    }

    /** The cluster CA bundle that signs the API server's certificate. */
    public Path caFile() {
        return serviceAccountDir.resolve("ca.crt");
    }
}
