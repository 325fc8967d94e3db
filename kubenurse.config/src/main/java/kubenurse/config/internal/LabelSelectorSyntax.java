package kubenurse.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a Kubernetes label selector the way the API server parses one (k8s.io/apimachinery labels.Parse):
 * comma-separated requirements {@code key}, {@code !key}, {@code key=v}, {@code key==v}, {@code key!=v},
 * {@code key in (a,b)}, {@code key notin (a,b)}, {@code key>1}, {@code key<1}. The selector itself is
 * sent to the API server unchanged; this only rejects what the API server would reject, at start.
 */
public final class LabelSelectorSyntax {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final String OPERATOR_CHARS = "=!<>";
    private static final String SEPARATOR_CHARS = "(),";

    private final List<String> tokens;
    private int next;

    private LabelSelectorSyntax(List<String> tokens) {
        this.tokens = tokens;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong and where, when the selector is invalid
     */
    public static void validate(String selector) {
        List<String> tokens = tokenize(selector);
        if (tokens.isEmpty()) {
            return;
        }
        new LabelSelectorSyntax(tokens).selector();
    }

    private void selector() {
        requirement();
        while (next < tokens.size()) {
            expect(",");
            requirement();
        }
    }

    private void requirement() {
        if (peek().equals("!")) {
            next++;
            key(take("a label key after '!'"));
            return;
        }
        key(take("a label key"));
        if (next == tokens.size() || peek().equals(",")) {
            return;
        }
        String operator = take("an operator");
        switch (operator) {
            case "=", "==", "!=" -> value(optionalValue());
            case ">", "<" -> {
                String number = take("an integer after '" + operator + "'");
                if (!INTEGER.matcher(number).matches()) {
                    throw new IllegalArgumentException("'" + number + "' after '" + operator + "' is not an integer");
                }
            }
            case "in", "notin" -> values();
            default -> throw new IllegalArgumentException("unknown operator '" + operator
                    + "' (accepted: =, ==, !=, in, notin, >, <)");
        }
    }

    private String optionalValue() {
        if (next == tokens.size() || peek().equals(",")) {
            return "";
        }
        return take("a value");
    }

    private void values() {
        expect("(");
        if (peek().equals(")")) {
            next++;
            return;
        }
        value(take("a value"));
        while (peek().equals(",")) {
            next++;
            value(take("a value"));
        }
        expect(")");
    }

    private static void key(String key) {
        if (isSymbol(key)) {
            throw new IllegalArgumentException("expected a label key, found '" + key + "'");
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException("label key prefix '" + prefix + "' is not a DNS subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("label key '" + key
                    + "' must be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric");
        }
    }

    private static void value(String value) {
        if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
            throw new IllegalArgumentException("label value '" + value
                    + "' must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric");
        }
    }

    private String peek() {
        return next < tokens.size() ? tokens.get(next) : "";
    }

    private String take(String what) {
        if (next == tokens.size()) {
            throw new IllegalArgumentException("expected " + what + " at the end");
        }
        return tokens.get(next++);
    }

    private void expect(String symbol) {
        String found = take("'" + symbol + "'");
        if (!found.equals(symbol)) {
            throw new IllegalArgumentException("expected '" + symbol + "', found '" + found + "'");
        }
    }

    private static boolean isSymbol(String token) {
        return token.length() <= 2 && (OPERATOR_CHARS + SEPARATOR_CHARS).indexOf(token.charAt(0)) >= 0;
    }

    private static List<String> tokenize(String selector) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < selector.length()) {
            char c = selector.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (SEPARATOR_CHARS.indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                boolean twoChars = i + 1 < selector.length() && selector.charAt(i + 1) == '='
                        && (c == '=' || c == '!');
                tokens.add(selector.substring(i, twoChars ? i + 2 : i + 1));
                i += twoChars ? 2 : 1;
            } else {
                int start = i;
                while (i < selector.length() && !Character.isWhitespace(selector.charAt(i))
                        && (OPERATOR_CHARS + SEPARATOR_CHARS).indexOf(selector.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(selector.substring(start, i));
            }
        }
        return tokens;
    }
}
