package kubenurse.app.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueLoggerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ourEventsAreKeyValueOnOneLine() {
        new KeyValueLogger("kubenurse.http", () -> Level.INFO, out).log(Level.INFO, "event=listening http_port=8080");
        String line = written();
        assertTrue(line.matches("time=\\S+Z level=info logger=kubenurse.http event=listening http_port=8080\\R"), line);
    }

    @Test
    void freeTextIsQuotedAndThrowablesStayOnTheLine() {
        new KeyValueLogger("jdk.x", () -> Level.INFO, out).log(Level.WARNING, "a \"quoted\"\nmessage",
                new IOException("outer", new IllegalStateException("inner")));
        String line = written();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("level=warn logger=jdk.x msg=\"a \\\"quoted\\\"\\nmessage\""), line);
        assertTrue(line.contains("error=\"java.io.IOException: outer; caused by java.lang.IllegalStateException: inner\""), line);
    }

    @Test
    void levelsBelowTheThresholdAreDropped() {
        KeyValueLogger logger = new KeyValueLogger("kubenurse.checks", () -> Level.WARNING, out);
        logger.log(Level.INFO, "event=dropped");
        logger.log(Level.DEBUG, "event=dropped");
        logger.log(Level.ERROR, "event=kept");
        assertFalse(written().contains("dropped"));
        assertTrue(written().contains("level=error logger=kubenurse.checks event=kept"));
    }

    @Test
    void finderAppliesTheConfiguredLevelToOurLoggersAndKeepsTheJdksAtInfo() {
        KeyValueLoggerFinder finder = new KeyValueLoggerFinder();
        finder.threshold(kubenurse.config.LogLevel.DEBUG);
        assertTrue(finder.getLogger("kubenurse.app", getClass().getModule()).isLoggable(Level.DEBUG));
        assertFalse(finder.getLogger("jdk.internal.httpclient", Object.class.getModule()).isLoggable(Level.DEBUG));
        finder.threshold(kubenurse.config.LogLevel.ERROR);
        assertFalse(finder.getLogger("kubenurse.app", getClass().getModule()).isLoggable(Level.WARNING));
        assertFalse(finder.getLogger("jdk.internal.httpclient", Object.class.getModule()).isLoggable(Level.WARNING));
    }
}
