package kubenurse.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log lines of one logger whose message starts with a prefix, as "LEVEL message", read through
 * java.util.logging (the System.Logger backend of a JVM without a LoggerFinder of its own, as in the tests).
 * Listens from creation until closed.
 */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture;
    private final boolean everyLevel;

    private LogLines(String loggerName, String prefix, boolean everyLevel) {
        this.logger = Logger.getLogger(loggerName);
        this.everyLevel = everyLevel;
        this.capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().startsWith(prefix)) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        if (everyLevel) {
            capture.setLevel(Level.ALL);
            logger.setLevel(Level.ALL);
        }
        logger.addHandler(capture);
    }

    /** Starts listening to {@code loggerName} for messages starting with {@code prefix}, at its usual levels. */
    public static LogLines listen(String loggerName, String prefix) {
        return new LogLines(loggerName, prefix, false);
    }

    /** As {@link #listen}, with debug and trace lines too (the logger's level is restored on close). */
    public static LogLines listenToEveryLevel(String loggerName, String prefix) {
        return new LogLines(loggerName, prefix, true);
    }

    /** What was logged so far, oldest first, as "LEVEL message". */
    public List<String> lines() {
        return records.stream().map(record -> record.getLevel() + " " + record.getMessage()).toList();
    }

    /** The messages logged so far, oldest first, without their level. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(capture);
        if (everyLevel) {
            logger.setLevel(null);
        }
    }
}
