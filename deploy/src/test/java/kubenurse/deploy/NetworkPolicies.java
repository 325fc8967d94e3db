package kubenurse.deploy;

import static kubenurse.deploy.Manifests.at;

import java.util.List;
import java.util.Map;

/**
 * Reads a rendered NetworkPolicy the way the API defines it, so tests ask "may this pod reach that port" rather
 * than compare YAML: a rule without {@code from} admits every source, a peer without {@code namespaceSelector}
 * means the policy's own namespace, a rule without {@code ports} opens every port. Only {@code matchLabels}
 * selectors are understood; anything else fails the test instead of being guessed.
 */
final class NetworkPolicies {

    private NetworkPolicies() {
    }

    /** A source pod: its namespace's name and labels, and its own labels. */
    record Source(String namespace, Map<String, Object> namespaceLabels, Map<String, Object> podLabels) {

        static Source pod(String namespace, Map<String, Object> podLabels) {
            return new Source(namespace, Map.of("kubernetes.io/metadata.name", namespace), podLabels);
        }
    }

    static boolean selects(Map<String, Object> policy, Map<String, Object> podLabels) {
        Map<String, Object> podSelector = at(policy, "spec", "podSelector");
        return podSelector != null && !podSelector.isEmpty() && matches(podSelector, podLabels);
    }

    /** Whether traffic from {@code source} to TCP {@code port} of a selected pod is admitted. */
    static boolean admits(Map<String, Object> policy, Source source, int port) {
        return admits(policy, source, "TCP", port);
    }

    /** Whether traffic from {@code source} to {@code port} of a selected pod over {@code protocol} (TCP, UDP) is admitted. */
    static boolean admits(Map<String, Object> policy, Source source, String protocol, int port) {
        List<Map<String, Object>> rules = at(policy, "spec", "ingress");
        if (rules == null) {
            return false;
        }
        String policyNamespace = at(policy, "metadata", "namespace");
        return rules.stream().anyMatch(rule -> opens(rule, protocol, port) && from(rule, policyNamespace, source));
    }

    /** A port entry without a protocol means TCP, as the API defines it. */
    private static boolean opens(Map<String, Object> rule, String protocol, int port) {
        List<Map<String, Object>> ports = at(rule, "ports");
        return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> {
            if (p.containsKey("endPort")) {
                throw new AssertionError("endPort not understood: " + p);
            }
            return protocol.equals(p.getOrDefault("protocol", "TCP")) && Integer.valueOf(port).equals(p.get("port"));
        });
    }

    private static boolean from(Map<String, Object> rule, String policyNamespace, Source source) {
        List<Map<String, Object>> peers = at(rule, "from");
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> {
            if (peer.containsKey("ipBlock")) {
                return false;
            }
            Map<String, Object> namespaceSelector = at(peer, "namespaceSelector");
            boolean namespace = namespaceSelector == null ? source.namespace().equals(policyNamespace)
                    : matches(namespaceSelector, source.namespaceLabels());
            Map<String, Object> podSelector = at(peer, "podSelector");
            return namespace && (podSelector == null || matches(podSelector, source.podLabels()));
        });
    }

    private static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        if (selector.keySet().stream().anyMatch(k -> !k.equals("matchLabels"))) {
            throw new AssertionError("only matchLabels is understood: " + selector);
        }
        Map<String, Object> matchLabels = at(selector, "matchLabels");
        return matchLabels == null || labels.entrySet().containsAll(matchLabels.entrySet());
    }
}
