package kubenurse.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log lines of one logger whose message starts with a prefix, as "LEVEL message", read through
 * java.util.logging (the System.Logger backend of a JVM without a LoggerFinder of its own, as in the tests).
 * Listens from creation until closed.
 */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture;

    private LogLines(String loggerName, String prefix) {
        this.logger = Logger.getLogger(loggerName);
        this.capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().startsWith(prefix)) {
                    lines.add(record.getLevel() + " " + record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
    }

    /** Starts listening to {@code loggerName} for messages starting with {@code prefix}. */
    public static LogLines listen(String loggerName, String prefix) {
        return new LogLines(loggerName, prefix);
    }

    /** What was logged so far, oldest first. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(capture);
    }
}
