package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import kubenurse.config.LogValue;

/**
 * The decoded objects of one kind, by key, and how lists and watch events change them. An object without a
 * usable key (no name, or a name of the wrong type) is skipped and counted, never stored under "". Only
 * wanted objects are kept: one that is not (a node the watch's field selector should not have sent, or one
 * that no longer matches it) counts as gone, whatever the server says, so a server that ignores a selector
 * or sends a stray line cannot put into the store what we did not ask for.
 *
 * @param <T> the decoded object
 */
final class MirroredObjects<T> {

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final String collectionPath;
    private final Function<JsonObject, T> decode;
    private final Function<T, String> key;
    private final Predicate<T> wanted;
    private final Runnable onChange;
    private final Map<String, T> store = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param key the object's key; "" when it has no usable name
     * @param onChange called after every change of the objects
     */
    MirroredObjects(String collectionPath, Function<JsonObject, T> decode, Function<T, String> key, Runnable onChange) {
        this(collectionPath, decode, key, object -> true, onChange);
    }

    /** @param wanted whether an object belongs here; one that does not is removed, never stored */
    MirroredObjects(String collectionPath, Function<JsonObject, T> decode, Function<T, String> key, Predicate<T> wanted,
            Runnable onChange) {
        this.collectionPath = collectionPath;
        this.decode = decode;
        this.key = key;
        this.wanted = wanted;
        this.onChange = onChange;
    }

    Collection<T> objects() {
        return store.values();
    }

    /** Objects skipped for want of a usable name, since the start. */
    long skipped() {
        return skipped.get();
    }

    /** Decodes a listed item into {@code listed}, unless it has no usable name. */
    void decodeInto(Map<String, T> listed, JsonObject item) {
        T decoded = decode.apply(item);
        String name = key.apply(decoded);
        if (usable(name, "list") && wanted.test(decoded)) {
            listed.put(name, decoded);
        }
    }

    /** Makes a complete list the new state. */
    void replaceAll(Map<String, T> listed) {
        store.keySet().retainAll(listed.keySet());
        store.putAll(listed);
        onChange.run();
    }

    /**
     * Applies one watch event and returns the resourceVersion to resume from: the event's own, else
     * {@code resourceVersion}.
     *
     * @throws ResourceWatcher.Gone for an ERROR event with code 410: only a new list helps
     * @throws ApiError             for any other ERROR event
     */
    String apply(WatchEvent event, String resourceVersion) throws ResourceWatcher.Gone, ApiError {
        if (event.type().equals("ERROR")) {
            String message = "watch " + collectionPath + ": error event: " + event.message();
            if (event.code() == 410) {
                throw new ResourceWatcher.Gone(message);
            }
            throw new ApiError(event.code(), message);
        }
        switch (event.type()) {
            case "ADDED", "MODIFIED" -> {
                T decoded = decode.apply(event.object());
                String name = key.apply(decoded);
                if (!usable(name, event.type())) {
                    break;
                }
                if (wanted.test(decoded)) {
                    store.put(name, decoded);
                    onChange.run();
                } else if (store.remove(name) != null) {
                    onChange.run();
                }
            }
            case "DELETED" -> {
                String name = key.apply(decode.apply(event.object()));
                if (usable(name, event.type()) && store.remove(name) != null) {
                    onChange.run();
                }
            }
            case "BOOKMARK" -> {
                // only its resourceVersion matters
            }
            default -> {
                // a type this version does not know changes nothing, and its resourceVersion is not trusted
                LOG.log(Level.DEBUG, () -> "event=watch_event_ignored path=" + LogValue.quote(collectionPath)
                        + " type=" + LogValue.quote(event.type()));
                return resourceVersion;
            }
        }
        String version = event.resourceVersion();
        return version.isEmpty() ? resourceVersion : version;
    }

    private boolean usable(String name, String source) {
        if (!name.isEmpty()) {
            return true;
        }
        long count = skipped.incrementAndGet();
        LOG.log(Level.DEBUG, () -> "event=object_skipped path=" + LogValue.quote(collectionPath) + " source=" + source
                + " reason=no_usable_name skipped_total=" + count);
        return false;
    }
}
