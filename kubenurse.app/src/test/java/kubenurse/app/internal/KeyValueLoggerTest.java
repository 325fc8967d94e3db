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
    void noControlCharacterReachesTheOutputRawEvenInOurOwnEvents() {
        new KeyValueLogger("kubenurse.checks", () -> Level.INFO, out).log(Level.WARNING,
                "event=check_state_changed result=unquoted\u001b[31m\nlevel=error fake=1\r\u0007");
        String line = written();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.strip().chars().noneMatch(Character::isISOControl), line);
        assertTrue(line.contains("result=unquoted\\u001b[31m\\u000alevel=error fake=1\\u000d\\u0007"), line);
    }

    @Test
    void aLineIsBoundedInLength() {
        new KeyValueLogger("kubenurse.checks", () -> Level.INFO, out).log(Level.INFO, "event=x value=" + "v".repeat(100_000));
        String line = written().strip();
        assertTrue(line.length() < KeyValueLogger.MAX_LINE_CHARS + 40, "line of " + line.length() + " chars");
        assertTrue(line.endsWith("more chars)"), line.substring(line.length() - 40));
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
