package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.util.regex.Pattern;
import kubenurse.config.NeighbourSettings;

/** Reads which pods are neighbours, checking the namespace and selector as the API server would. */
final class NeighbourSettingsReader {

    static final int DEFAULT_NEIGHBOUR_LIMIT = 10;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private NeighbourSettingsReader() {
    }

    static NeighbourSettings read(Variables env) {
        return new NeighbourSettings(
                namespace(env),
                selector(env, PREFIX + "NEIGHBOUR_FILTER"),
                env.nonNegativeInt(PREFIX + "NEIGHBOUR_LIMIT", DEFAULT_NEIGHBOUR_LIMIT),
                env.bool(PREFIX + "ALLOW_UNSCHEDULABLE", false));
    }

    private static String namespace(Variables env) {
        String name = PREFIX + "NAMESPACE";
        String namespace = env.text(name).orElse("");
        if (!namespace.isEmpty() && (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches())) {
            env.problem(name, namespace,
                    "a namespace name (lower-case DNS label, at most 63 characters) or empty for all");
        }
        return namespace;
    }

    private static String selector(Variables env, String name) {
        String selector = env.text(name).orElse("");
        try {
            LabelSelectorSyntax.validate(selector);
        } catch (IllegalArgumentException invalid) {
            env.problem(name, selector, "a Kubernetes label selector such as app.kubernetes.io/name=kubenurse ("
                    + invalid.getMessage() + ")");
        }
        return selector;
    }
}
