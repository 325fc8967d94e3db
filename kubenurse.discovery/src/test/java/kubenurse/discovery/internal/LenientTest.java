package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Each reader on every JSON type, where minimal-json's own getters throw. */
class LenientTest {

    private static final JsonObject ODD = Json.parse("""
            {"string": "s", "int": 42, "float": 410.0, "exp": 4.1e2, "fraction": 0.5, "huge": 1e400,
             "long": 12345678901234, "numeric": "410", "true": true, "trueText": "TRUE", "false": false,
             "null": null, "array": [1], "object": {"a": 1}}""").asObject();

    @Test
    void textReadsStringsAsTheyAreScalarsAsTheirJsonAndTheRestAsEmpty() {
        assertEquals("s", Lenient.text(ODD, "string"));
        assertEquals("42", Lenient.text(ODD, "int"));
        assertEquals("410.0", Lenient.text(ODD, "float"));
        assertEquals("true", Lenient.text(ODD, "true"));
        for (String empty : new String[] {"null", "array", "object", "absent"}) {
            assertEquals("", Lenient.text(ODD, empty), empty);
        }
    }

    @Test
    void integerTakesWholeNumbersInAnyNotationAndNothingElse() {
        assertEquals(42, Lenient.integer(ODD, "int", -1));
        assertEquals(410, Lenient.integer(ODD, "float", -1));
        assertEquals(410, Lenient.integer(ODD, "exp", -1));
        assertEquals(410, Lenient.integer(ODD, "numeric", -1));
        for (String fallback : new String[] {"fraction", "huge", "long", "string", "true", "null", "array", "object", "absent"}) {
            assertEquals(-1, Lenient.integer(ODD, fallback, -1), fallback);
        }
    }

    @Test
    void boolIsTrueOnlyForTrueAsJsonOrText() {
        assertTrue(Lenient.bool(ODD, "true"));
        assertTrue(Lenient.bool(ODD, "trueText"));
        for (String no : new String[] {"false", "string", "int", "null", "array", "object", "absent"}) {
            assertFalse(Lenient.bool(ODD, no), no);
        }
    }

    @Test
    void objectIsEmptyForAnythingButAnObject() {
        assertEquals(1, Lenient.object(ODD, "object").getInt("a", 0));
        for (String empty : new String[] {"array", "string", "null", "absent"}) {
            assertTrue(Lenient.object(ODD, empty).isEmpty(), empty);
        }
    }
}
