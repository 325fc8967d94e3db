/** Neighbour discovery through the Kubernetes REST API (issue 5; not built yet). */
module kubenurse.discovery {
    requires kubenurse.config;
}
