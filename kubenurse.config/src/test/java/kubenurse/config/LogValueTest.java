package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogValueTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String hostile = "HTTP/1.1 500 \"oops\" level=error fake=key\\ \u001b[31mred\n next\r\t\u2028";
        assertEquals("\"HTTP/1.1 500 \\\"oops\\\" level=error fake=key\\\\ \\u001b[31mred\\n next\\r\\t\\u2028\"",
                LogValue.quote(hostile));
    }

    @Test
    void aQuotedValueNeverContainsARawControlCharacterOrAnUnescapedQuote() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            every.append(c);
        }
        String quoted = LogValue.quote(every);
        String inside = quoted.substring(1, quoted.length() - 1);
        assertTrue(inside.chars().noneMatch(Character::isISOControl), quoted);
        assertTrue(inside.replace("\\\\", "").replace("\\\"", "").indexOf('"') < 0, quoted);
    }

    @Test
    void boundsTheLengthAndSaysHowMuchWasCut() {
        String quoted = LogValue.quote("x".repeat(10_000));
        assertEquals("\"" + "x".repeat(LogValue.MAX_CHARS) + "...(" + (10_000 - LogValue.MAX_CHARS) + " more chars)\"",
                quoted);
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        String text = "x".repeat(LogValue.MAX_CHARS - 1) + "\uD83D\uDE00" + "tail";
        String quoted = LogValue.quote(text);
        assertTrue(quoted.startsWith("\"" + "x".repeat(LogValue.MAX_CHARS - 1) + "..."), quoted);
    }

    @Test
    void nullIsEmpty() {
        assertEquals("\"\"", LogValue.quote(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://kubenurse.example.org|https://kubenurse.example.org",
        "https://user:secret@host.example:8443/p/a|https://<redacted>@host.example:8443/p/a",
        "http://host/alwayshappy?token=abc&x=1|http://host/alwayshappy?<redacted>",
        "http://u:p@host/x?q=1#frag|http://<redacted>@host/x?<redacted>",
        "http://host/path@with-at|http://host/path@with-at",
        "not a url: pw@x|<redacted>@x",
        "http://host#only-fragment|http://host",
    })
    void redactsUserinfoAndQuery(String url, String expected) {
        assertEquals(expected, LogValue.redactedUrl(url));
    }
}
