package kubenurse.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamedListTest {

    private static final String LIST = """
            {"kind": "NodeList", "apiVersion": "v1",
             "metadata": {"resourceVersion": "123", "continue": "abc", "remainingItemCount": 7},
             "items": [
               {"metadata": {"name": "a", "labels": {"x": "y"}}, "spec": {"unschedulable": true,
                 "items": [1, 2.50, null, false], "taints": [{"key": "k"}]}},
               {"metadata": {"name": "b"}, "status": {"images": [{"names": ["i1", "i2"], "sizeBytes": 12345678901}]}}
             ]}
            """;

    @Test
    void handsOverEachItemWholeAndKeepsTheRestWithoutThem() throws IOException {
        List<JsonObject> items = new ArrayList<>();
        JsonObject list = StreamedList.parse(new StringReader(LIST), items::add);

        JsonObject whole = Json.parse(LIST).asObject();
        assertEquals(2, items.size());
        assertEquals(whole.get("items").asArray().get(0), items.get(0), "nested arrays, nulls and numbers as parsed whole");
        assertEquals(whole.get("items").asArray().get(1), items.get(1));
        assertEquals("12345678901", items.get(1).get("status").asObject().get("images").asArray().get(0).asObject()
                .get("sizeBytes").toString(), "numbers keep their exact text");
        assertEquals(whole.get("metadata"), list.get("metadata"));
        assertEquals("NodeList", list.getString("kind", ""));
        assertTrue(list.get("items").asArray().isEmpty(), "the items are not kept in the returned object");
    }

    @Test
    void anEmptyOrMissingItemsArrayHandsOverNothing() throws IOException {
        List<JsonObject> items = new ArrayList<>();
        StreamedList.parse(new StringReader("{\"metadata\": {\"resourceVersion\": \"1\"}, \"items\": []}"), items::add);
        StreamedList.parse(new StringReader("{\"metadata\": {\"resourceVersion\": \"1\"}}"), items::add);
        assertEquals(List.of(), items);
    }

    @Test
    void skipsItemsThatAreNotObjects() throws IOException {
        List<JsonObject> items = new ArrayList<>();
        StreamedList.parse(new StringReader("{\"items\": [1, \"x\", null, [], {\"a\": 1}, true]}"), items::add);
        assertEquals(List.of(new JsonObject().add("a", 1)), items);
    }

    @Test
    void refusesWhatIsNotAList() {
        assertThrows(UnsupportedOperationException.class,
                () -> StreamedList.parse(new StringReader("[{\"items\": []}]"), item -> { }));
        assertThrows(ParseException.class,
                () -> StreamedList.parse(new StringReader("{\"items\": [{\"metadata\": "), item -> { }));
    }
}
