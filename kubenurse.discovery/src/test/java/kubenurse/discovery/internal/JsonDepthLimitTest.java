package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.eclipsesource.json.Json;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Nesting is counted outside strings only, and refused past the limit before the parser recurses into it. */
class JsonDepthLimitTest {

    private static String nested(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    @Test
    void nestingUpToTheLimitParses() throws IOException {
        assertEquals(Json.parse(nested(JsonDepthLimit.MAX_DEPTH)),
                Json.parse(new JsonDepthLimit(new StringReader(nested(JsonDepthLimit.MAX_DEPTH)))));
    }

    @Test
    void deeperNestingIsRefused() {
        IOException refused = assertThrows(IOException.class,
                () -> Json.parse(new JsonDepthLimit(new StringReader(nested(JsonDepthLimit.MAX_DEPTH + 1)))));
        assertEquals("JSON nested deeper than 256 levels", refused.getMessage());
        assertThrows(IOException.class, () -> Json.parse(new JsonDepthLimit(new StringReader("{\"a\":".repeat(100_000)))));
    }

    @Test
    void bracketsInStringsAndEscapedQuotesDoNotCount() throws IOException {
        String json = "{\"s\": \"" + "[{".repeat(1_000) + "\\\"[[[\", \"t\": [\"]]]\\\\\"]}";
        assertEquals(Json.parse(json), Json.parse(new JsonDepthLimit(new StringReader(json))));
    }
}
