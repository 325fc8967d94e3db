package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.io.StringReader;

/**
 * One line of a watch stream: {@code {"type": "ADDED", "object": {...}}}. Its fields are read leniently
 * ({@link Lenient}); only a line that is not a JSON object at all is refused.
 *
 * @param type   ADDED, MODIFIED, DELETED, BOOKMARK, ERROR, or whatever else the server wrote ("" if none)
 * @param object the object, or the Status of an ERROR event; empty if missing or not an object
 */
record WatchEvent(String type, JsonObject object) {

    /** The line is not a JSON object: the stream can no longer be trusted. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static WatchEvent parse(String line) throws Malformed {
        JsonValue value;
        try {
            value = Json.parse(new JsonDepthLimit(new StringReader(line)));
        } catch (ParseException | IOException notJson) {
            throw new Malformed("malformed event: " + notJson.getMessage());
        }
        if (!value.isObject()) {
            throw new Malformed("malformed event: not a JSON object");
        }
        return new WatchEvent(Lenient.text(value.asObject(), "type"), Lenient.object(value.asObject(), "object"));
    }

    /** metadata.resourceVersion, or "" when there is none usable. */
    String resourceVersion() {
        return Lenient.text(Lenient.object(object, "metadata"), "resourceVersion");
    }

    /** An ERROR event's HTTP status (410 when the resourceVersion is gone); 0 if it has none. */
    int code() {
        return Lenient.integer(object, "code", 0);
    }

    /** An ERROR event's message. */
    String message() {
        return Lenient.text(object, "message");
    }
}
