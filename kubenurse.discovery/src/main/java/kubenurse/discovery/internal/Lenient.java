package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

/**
 * Reads fields of API server JSON without trusting their types: minimal-json's typed getters throw on a
 * number where a string was expected or on {@code 410.0} read as an int, and one such value must not end a
 * watch. Each reader turns the unexpected into its plain meaning or the given default.
 */
final class Lenient {

    private Lenient() {
    }

    /** The member if it is an object, else an empty object (absent, null, an array, a scalar). */
    static JsonObject object(JsonObject parent, String name) {
        JsonValue value = parent.get(name);
        return value != null && value.isObject() ? value.asObject() : new JsonObject();
    }

    /** A string as it is, a number or boolean as its JSON text, anything else (absent, null, array, object) as "". */
    static String text(JsonObject parent, String name) {
        JsonValue value = parent.get(name);
        if (value == null) {
            return "";
        }
        if (value.isString()) {
            return value.asString();
        }
        return value.isNumber() || value.isBoolean() ? value.toString() : "";
    }

    /**
     * A whole number within int range, written as a number ({@code 410}, {@code 410.0}, {@code 4.1e2}) or
     * as a string of one; anything else, fractions and overflows included, is {@code fallback}.
     */
    static int integer(JsonObject parent, String name, int fallback) {
        String text = text(parent, name).strip();
        double number;
        try {
            number = Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
            return fallback;
        }
        return number == Math.rint(number) && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE
                ? (int) number : fallback;
    }

    /** True for JSON true and for the string "true" in any case; false for everything else. */
    static boolean bool(JsonObject parent, String name) {
        return text(parent, name).equalsIgnoreCase("true");
    }
}
