package kubenurse.app.internal;

import java.io.PrintStream;
import java.lang.System.Logger;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Writes {@code time=... level=... logger=... <message>} on one line. Our messages are already key=value
 * ("event=listening http_port=8080"); free text from JDK loggers is quoted as msg="...". A throwable
 * becomes error="..." with its causes, never a multi-line stack trace.
 */
final class KeyValueLogger implements Logger {

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
            line.append(text.replace('\n', ' '));
        } else {
            line.append("msg=").append(quote(text));
        }
        if (thrown != null) {
            line.append(" error=").append(quote(causes(thrown)));
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

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}
