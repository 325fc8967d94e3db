package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Lines of a watch stream, and the bound that keeps one line from filling the heap. */
class WatchLinesTest {

    @Test
    void splitsOnNewlinesDropsCarriageReturnsAndKeepsAnUnterminatedLastLine() throws IOException {
        WatchLines lines = new WatchLines(new StringReader("{\"a\":1}\n\r\n{\"b\":2}\r\n\n{\"half\""));
        assertEquals("{\"a\":1}", lines.next());
        assertEquals("", lines.next());
        assertEquals("{\"b\":2}", lines.next());
        assertEquals("", lines.next());
        assertEquals("{\"half\"", lines.next());
        assertNull(lines.next());
    }

    @Test
    void aLineOverTheLimitIsRefusedAndTheNextOneIsReadWhole() throws IOException {
        String tooLong = "x".repeat(WatchLines.MAX_CHARS + 1);
        WatchLines lines = new WatchLines(new StringReader(tooLong + "\nnext\n" + tooLong));
        assertThrows(WatchLines.TooLong.class, lines::next);
        assertEquals("next", lines.next());
        assertThrows(WatchLines.TooLong.class, lines::next, "also without a final newline");
        assertNull(lines.next());
        assertEquals("y".repeat(WatchLines.MAX_CHARS),
                new WatchLines(new StringReader("y".repeat(WatchLines.MAX_CHARS))).next(), "the limit itself is fine");
    }
}
