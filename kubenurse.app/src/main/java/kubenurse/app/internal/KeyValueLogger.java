package kubenurse.app.internal;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import kubenurse.config.LogValue;

/**
 * Writes {@code time=... level=... logger=... <message>} on one line. Our messages are already key=value
 * ("event=listening http_port=8080"), their outside values already quoted with LogValue; free text from JDK
 * loggers is quoted as msg="...". A throwable becomes error="..." with its causes, never a multi-line stack
 * trace. As a last guard, no control character reaches the output raw and no line exceeds
 * {@link #MAX_LINE_CHARS}, whatever a message holds.
 */
final class KeyValueLogger implements Logger {

    static final int MAX_LINE_CHARS = 8192;

    private final String name;
    private final Supplier<Level> threshold;
    private final PrintStream out;

    KeyValueLogger(String name, Supplier<Level> threshold, PrintStream out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return level != Level.OFF && level.getSeverity() >= threshold.get().getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (isLoggable(level)) {
            out.println(line(level, message, thrown));
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String message = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
            out.println(line(level, message, null));
        }
    }

    String line(Level level, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(160)
                .append("time=").append(Instant.now())
                .append(" level=").append(levelName(level))
                .append(" logger=").append(name).append(' ');
        String text = message == null ? "" : message;
        if (text.startsWith("event=")) {
            appendEscapingControls(line, text);
        } else {
            line.append("msg=").append(LogValue.quote(text));
        }
        if (thrown != null) {
            line.append(" error=").append(LogValue.quote(causes(thrown)));
        }
        if (line.length() > MAX_LINE_CHARS) {
            int cut = line.length() - MAX_LINE_CHARS;
            line.setLength(MAX_LINE_CHARS);
            line.append("...(").append(cut).append(" more chars)");
        }
        return line.toString();
    }

    private static String levelName(Level level) {
        return switch (level) {
            case WARNING -> "warn";
            case ALL, TRACE -> "trace";
            default -> level.getName().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String causes(Throwable thrown) {
        StringBuilder text = new StringBuilder(thrown.toString());
        for (Throwable cause = thrown.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    private static void appendEscapingControls(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
    }
}
