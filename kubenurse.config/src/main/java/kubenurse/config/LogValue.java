package kubenurse.config;

/**
 * Makes a value that an outsider controls (a check target's error text, an API server's message, a request
 * path, a configured URL) safe to put into a one-line {@code key=value} log: quoted, with quotes,
 * backslashes and control characters escaped, so it can neither fake keys nor write raw bytes into the
 * log, and cut to {@link #MAX_CHARS} so it cannot flood it. URLs lose their userinfo and query, where
 * passwords and tokens hide.
 */
public final class LogValue {

    /** Longer values are cut; an error text or a URL that matters fits easily. */
    public static final int MAX_CHARS = 512;

    private LogValue() {
    }

    /** {@code "value"}, escaped and bounded; {@code ""} for null. */
    public static String quote(Object value) {
        String text = value == null ? "" : value.toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 16).append('"');
        int length = text.length();
        int end = Math.min(length, MAX_CHARS);
        if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < length) {
            out.append("...(").append(length - end).append(" more chars)");
        }
        return out.append('"').toString();
    }

    /**
     * The URL without userinfo, query and fragment ({@code https://user:pw@host/p?token=x} becomes
     * {@code https://<redacted>@host/p?<redacted>}), as plain text: works on text that is not a valid URL
     * too, since bad configuration values are logged as well.
     */
    public static String redactedUrl(Object url) {
        String text = url == null ? "" : url.toString();
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        int query = text.indexOf('?');
        if (query >= 0) {
            text = text.substring(0, query) + "?<redacted>";
        }
        int authority = text.indexOf("://");
        int from = authority >= 0 ? authority + 3 : 0;
        int pathStart = indexOfAny(text, from, "/?");
        int at = text.lastIndexOf('@', pathStart < 0 ? text.length() - 1 : pathStart - 1);
        if (at >= from) {
            text = text.substring(0, from) + "<redacted>" + text.substring(at);
        }
        return text;
    }

    private static int indexOfAny(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
