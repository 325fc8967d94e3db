package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonHandler;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonParser;
import com.eclipsesource.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * Reads a Kubernetes list response ({@code {"metadata": {...}, "items": [...]}}) item by item: each item is
 * handed over as soon as it is parsed and then dropped. A page of 500 nodes is ~4 MB of JSON and several
 * times that as one tree, more than the image's small heap holds; one item at a time is a few KB.
 */
final class StreamedList extends JsonHandler<JsonArray, JsonObject> {

    private final Consumer<JsonObject> items;
    /** Stands for the top-level "items" array, which is never filled. */
    private final JsonArray itemsArray = new JsonArray();
    private int depth;
    private String topLevelMember;
    private JsonValue value;

    private StreamedList(Consumer<JsonObject> items) {
        this.items = items;
    }

    /**
     * Parses the list, giving every element of its top-level "items" array to {@code items}, and returns the
     * top-level object with its metadata and an empty "items" array.
     *
     * @throws com.eclipsesource.json.ParseException        when the body is not JSON
     * @throws UnsupportedOperationException when the body is not an object (items that are not are skipped)
     */
    static JsonObject parse(Reader body, Consumer<JsonObject> items) throws IOException {
        StreamedList handler = new StreamedList(items);
        new JsonParser(handler).parse(body);
        return handler.value.asObject();
    }

    @Override
    public JsonObject startObject() {
        depth++;
        return new JsonObject();
    }

    @Override
    public void endObject(JsonObject object) {
        depth--;
        value = object;
    }

    @Override
    public JsonArray startArray() {
        boolean items = depth == 1 && "items".equals(topLevelMember);
        depth++;
        return items ? itemsArray : new JsonArray();
    }

    @Override
    public void endArray(JsonArray array) {
        depth--;
        value = array;
    }

    @Override
    public void startObjectValue(JsonObject object, String name) {
        if (depth == 1) {
            topLevelMember = name;
        }
    }

    @Override
    public void endObjectValue(JsonObject object, String name) {
        object.add(name, value);
    }

    @Override
    public void endArrayValue(JsonArray array) {
        if (array == itemsArray) {
            if (value.isObject()) { // anything else in "items" is no object to mirror
                items.accept(value.asObject());
            }
        } else {
            array.add(value);
        }
    }

    @Override
    public void endNull() {
        value = Json.NULL;
    }

    @Override
    public void endBoolean(boolean bool) {
        value = Json.value(bool);
    }

    @Override
    public void endString(String string) {
        value = Json.value(string);
    }

    @Override
    public void endNumber(String string) {
        value = Json.parse(string); // keeps the number's exact text, as Json.parse of the whole body would
    }
}
