package kubenurse.testing;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fieldSelector as the API server reads it: requirements joined by ",", each {@code field=value},
 * {@code field==value} or {@code field!=value}, all of which must hold. Only the fields the real API server
 * supports for the kind are accepted (a node: metadata.name, spec.unschedulable; a pod: metadata.name,
 * metadata.namespace, spec.nodeName, status.phase); any other is refused as the real one refuses it.
 */
final class FieldSelector {

    /** The selector names a field the API server does not index for this kind: it answers 400. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private record Requirement(String field, String value, boolean equal) {
    }

    private static final Set<String> NODE_FIELDS = Set.of("metadata.name", "spec.unschedulable");
    private static final Set<String> POD_FIELDS = Set.of("metadata.name", "metadata.namespace", "spec.nodeName",
            "status.phase");
    static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Requirement> requirements;

    private FieldSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    static FieldSelector parse(String kind, String selector) throws Unsupported {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : selector.split(",")) {
            int not = part.indexOf("!=");
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new Unsupported("invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            boolean equal = not < 0 || not > eq;
            String field = (equal ? part.substring(0, eq) : part.substring(0, not)).trim();
            String value = (equal ? part.substring(part.startsWith("==", eq) ? eq + 2 : eq + 1) : part.substring(not + 2)).trim();
            if (!(kind.equals("nodes") ? NODE_FIELDS : POD_FIELDS).contains(field)) {
                throw new Unsupported("field label not supported: " + field);
            }
            requirements.add(new Requirement(field, value, equal));
        }
        return new FieldSelector(List.copyOf(requirements));
    }

    boolean matches(JsonObject object) {
        for (Requirement requirement : requirements) {
            if (value(object, requirement.field()).equals(requirement.value()) != requirement.equal()) {
                return false;
            }
        }
        return true;
    }

    /** The field as the API server's field set has it: absent reads as "" (a bool as "false"). */
    private static String value(JsonObject object, String field) {
        String[] path = field.split("\\.");
        JsonValue value = object;
        for (String step : path) {
            value = value != null && value.isObject() ? value.asObject().get(step) : null;
        }
        if (field.equals("spec.unschedulable")) {
            return String.valueOf(value != null && value.isBoolean() && value.asBoolean());
        }
        return value != null && value.isString() ? value.asString() : "";
    }
}
