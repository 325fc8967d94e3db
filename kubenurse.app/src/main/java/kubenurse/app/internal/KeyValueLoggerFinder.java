package kubenurse.app.internal;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import kubenurse.config.LogLevel;

/**
 * Provides every System.Logger of the process (ours and the JDK's) as {@link KeyValueLogger}: one line per
 * event on stderr. The JDK creates this finder through ServiceLoader before the configuration is read,
 * so the level is set on it afterwards, once, by {@link Application}.
 */
public final class KeyValueLoggerFinder extends System.LoggerFinder {

    private final PrintStream out = System.err;
    private volatile Level threshold = Level.INFO;

    public KeyValueLoggerFinder() {
    }

    void threshold(LogLevel level) {
        this.threshold = switch (level) {
            case ERROR -> Level.ERROR;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.DEBUG;
        };
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        // the JDK's own loggers are chatty below INFO and their debug output is not ours to explain
        boolean ours = name.startsWith("kubenurse");
        return new KeyValueLogger(name, () -> ours || threshold.getSeverity() >= Level.INFO.getSeverity()
                ? threshold : Level.INFO, out);
    }
}
