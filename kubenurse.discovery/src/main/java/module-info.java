/**
 * Neighbour discovery: list+watch of pods and nodes through the Kubernetes REST API (no client library),
 * keeping only the few fields needed, and the hash-ring choice of which neighbours this pod checks.
 */
module kubenurse.discovery {
    requires transitive kubenurse.config;
    requires java.net.http;
    requires minimal.json;

    exports kubenurse.discovery;
}
