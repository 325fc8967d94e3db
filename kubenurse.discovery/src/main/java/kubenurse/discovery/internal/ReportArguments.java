package kubenurse.discovery.internal;

import java.util.regex.Pattern;
import kubenurse.config.LogValue;

/**
 * The checks of what callers hand to the node reports, the same whether reports are written or not (local mode),
 * so that a caller's mistake shows in every mode. A bad value is a bug in the caller: it fails at once, naming
 * the value.
 */
final class ReportArguments {

    /** A node name as the API server accepts it: a DNS subdomain (RFC 1123), at most 253 characters. */
    private static final Pattern NODE_NAME = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A reason as Kubernetes writes them: UpperCamelCase, a machine-readable word. */
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Za-z0-9]*");
    static final int MAX_NODE_NAME = 253;
    static final int MAX_REASON = 128;
    /** Longer messages are cut: events.k8s.io caps an Event's note at 1 KB, and a condition's message is read by people. */
    static final int MAX_MESSAGE = 1024;

    private ReportArguments() {
    }

    static String node(String node) {
        if (node == null || node.length() > MAX_NODE_NAME || !NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("not a node name (a DNS subdomain of at most " + MAX_NODE_NAME
                    + " characters): " + quoted(node));
        }
        return node;
    }

    static String reason(String reason) {
        if (reason == null || reason.length() > MAX_REASON || !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("not a reason (UpperCamelCase letters and digits, at most " + MAX_REASON
                    + " characters): " + quoted(reason));
        }
        return reason;
    }

    /** The message, cut to {@link #MAX_MESSAGE} characters (never within a surrogate pair). */
    static String message(String message) {
        if (message == null) {
            throw new IllegalArgumentException("message is null");
        }
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        int end = MAX_MESSAGE - 3;
        return message.substring(0, Character.isHighSurrogate(message.charAt(end - 1)) ? end - 1 : end) + "...";
    }

    static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return value;
    }

    private static String quoted(String value) {
        return value == null ? "null" : LogValue.quote(value);
    }
}
