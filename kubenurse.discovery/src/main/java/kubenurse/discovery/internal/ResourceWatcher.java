package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.ParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Mirrors one kind of object (pods or nodes) from the API server: a paged list, then a watch from the
 * list's resourceVersion with bookmarks; when a watch ends it resumes from the last resourceVersion seen,
 * and relists only on 410 Gone. Errors are retried with backoff; the last known objects stay in use
 * meanwhile. Only the decoded few fields are kept, never the JSON.
 *
 * @param <T> the decoded object
 */
final class ResourceWatcher<T> {

    /** The API server no longer has the requested resourceVersion: only a new list helps. */
    static final class Gone extends Exception {
        private static final long serialVersionUID = 1L;

        Gone(String message) {
            super(message, null, false, false);
        }
    }

    /** A watch that ends sooner than this without any event is retried only after a backoff. */
    static final Duration QUICK_END = Duration.ofSeconds(1);
    /** Like client-go's reflector, a watch that fails again and again is given up for a new list. */
    static final int RELIST_AFTER_FAILED_WATCHES = 3;

    private final String collectionPath;
    private final String labelSelector;
    private final Function<JsonObject, T> decode;
    private final Function<T, String> key;
    private final ApiClient api;
    private final WatchSettings settings;
    private final ApiHealth health;
    private final Runnable onChange;
    private final Map<String, T> store = new ConcurrentHashMap<>();
    private volatile boolean synced;
    private volatile boolean stopped;
    private volatile InputStream openWatch;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Watches in a row that failed before they started streaming; guarded by the run loop's thread. */
    private int failedWatches;

    ResourceWatcher(String collectionPath, String labelSelector, Function<JsonObject, T> decode, Function<T, String> key,
            ApiClient api, WatchSettings settings, ApiHealth health, Runnable onChange) {
        this.collectionPath = collectionPath;
        this.labelSelector = labelSelector;
        this.decode = decode;
        this.key = key;
        this.api = api;
        this.settings = settings;
        this.health = health;
        this.onChange = onChange;
    }

    Collection<T> objects() {
        return store.values();
    }

    T get(String name) {
        return store.get(name);
    }

    /** True once a first list has completed. */
    boolean synced() {
        return synced;
    }

    /** Lists and watches until {@link #stop()}; run it on its own thread. */
    void run() {
        Backoff backoff = new Backoff(settings.firstBackoff(), settings.maxBackoff());
        String resourceVersion = null;
        boolean goneRightAfterList = false;
        while (!stopped) {
            try {
                if (resourceVersion == null) {
                    resourceVersion = relist();
                    health.ok();
                    goneRightAfterList = true;
                }
                long watchStarted = System.nanoTime();
                String before = resourceVersion;
                resourceVersion = watch(resourceVersion, backoff);
                goneRightAfterList = false;
                if (resourceVersion.equals(before) && System.nanoTime() - watchStarted < QUICK_END.toNanos()) {
                    // a watch that ends at once with nothing in it, again and again, must not become a busy loop
                    sleep(backoff.next());
                }
            } catch (Gone gone) {
                if (goneRightAfterList) {
                    // even a fresh list's version is gone: relisting at once would loop, so back off
                    health.failed(gone.getMessage());
                    sleep(backoff.next());
                }
                resourceVersion = null;
            } catch (IOException | ApiError | ParseException | UnsupportedOperationException failed) {
                if (stopped) {
                    return;
                }
                health.failed(failed.getMessage());
                if (resourceVersion != null && ++failedWatches >= RELIST_AFTER_FAILED_WATCHES) {
                    // the watch keeps failing (an outage, a changed permission): after the next wait, start over
                    resourceVersion = null;
                    failedWatches = 0;
                }
                sleep(backoff.next());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        stopped = true;
        closeWatch();
    }

    /** Ends a watch that has been silent longer than the idle limit; the loop then resumes it. */
    void closeIfIdle() {
        if (openWatch != null && System.nanoTime() - lastActivityNanos > settings.idleLimit().toNanos()) {
            health.failed("watch of " + collectionPath + " silent for more than " + settings.idleLimit());
            closeWatch();
        }
    }

    private void closeWatch() {
        InputStream watch = openWatch;
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
        }
    }

    /** A full, paged list; replaces the store at once when complete. Returns the list's resourceVersion. */
    private String relist() throws IOException, InterruptedException, ApiError, Gone {
        Map<String, T> listed = new HashMap<>();
        String continueToken = null;
        String resourceVersion;
        do {
            String query = "?limit=" + settings.pageSize() + selectorQuery()
                    + (continueToken != null ? "&continue=" + encode(continueToken) : "");
            HttpResponse<InputStream> response = api.get(collectionPath + query, settings.requestTimeout(),
                    settings.requestTimeout().multipliedBy(2));
            JsonObject list;
            try (InputStream body = response.body()) {
                if (response.statusCode() == 410) {
                    // the continue token expired between pages: start the list again
                    continueToken = null;
                    listed.clear();
                    continue;
                }
                ApiError.check(response.statusCode(), "list " + collectionPath);
                list = StreamedList.parse(new InputStreamReader(body, StandardCharsets.UTF_8), item -> {
                    T decoded = decode.apply(item);
                    listed.put(key.apply(decoded), decoded);
                });
            }
            JsonObject metadata = PodInfo.object(list, "metadata");
            resourceVersion = metadata.getString("resourceVersion", "");
            continueToken = metadata.getString("continue", "");
            if (continueToken.isEmpty()) {
                continueToken = null;
                store.keySet().retainAll(listed.keySet());
                store.putAll(listed);
                synced = true;
                onChange.run();
                return resourceVersion;
            }
        } while (!stopped);
        throw new InterruptedException("stopped while listing");
    }

    /** One watch from {@code resourceVersion}; returns the last resourceVersion seen when it ends. */
    private String watch(String resourceVersion, Backoff backoff) throws IOException, InterruptedException, ApiError, Gone {
        String query = "?watch=true&allowWatchBookmarks=true&resourceVersion=" + encode(resourceVersion)
                + "&timeoutSeconds=" + settings.watchTimeout().toSeconds() + selectorQuery();
        // the watch's own end is the server's timeoutSeconds; a dead one is caught by the idle limit
        HttpResponse<InputStream> response = api.get(collectionPath + query, settings.requestTimeout(),
                settings.watchTimeout().plus(settings.idleLimit()));
        String last = resourceVersion;
        try (InputStream body = response.body()) {
            if (response.statusCode() == 410) {
                throw new Gone("watch " + collectionPath + ": resourceVersion " + resourceVersion + " is gone");
            }
            ApiError.check(response.statusCode(), "watch " + collectionPath);
            health.ok();
            backoff.reset();
            failedWatches = 0;
            openWatch = body;
            lastActivityNanos = System.nanoTime();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null && !stopped; line = lines.readLine()) {
                lastActivityNanos = System.nanoTime();
                if (!line.isBlank()) {
                    last = apply(parseEvent(line), last);
                }
            }
        } finally {
            openWatch = null;
        }
        return last;
    }

    /** A broken line (a truncated chunk) ends the watch; it is resumed from the last event applied. */
    private JsonObject parseEvent(String line) throws IOException {
        try {
            return Json.parse(line).asObject();
        } catch (ParseException | UnsupportedOperationException malformed) {
            throw new IOException("watch " + collectionPath + ": malformed event, resuming from the last one applied ("
                    + malformed.getMessage() + ")");
        }
    }

    private String apply(JsonObject event, String resourceVersion) throws Gone, ApiError {
        String type = event.getString("type", "");
        JsonObject object = PodInfo.object(event, "object");
        if (type.equals("ERROR")) {
            int code = object.getInt("code", 0);
            if (code == 410) {
                throw new Gone("watch " + collectionPath + ": " + object.getString("message", "gone"));
            }
            throw new ApiError(code, "watch " + collectionPath + ": " + object.getString("message", "error event"));
        }
        String version = PodInfo.object(object, "metadata").getString("resourceVersion", resourceVersion);
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                T decoded = decode.apply(object);
                store.put(key.apply(decoded), decoded);
                onChange.run();
            }
            case "DELETED" -> {
                store.remove(key.apply(decode.apply(object)));
                onChange.run();
            }
            default -> {
                // BOOKMARK: only its resourceVersion matters
            }
        }
        return version;
    }

    private String selectorQuery() {
        return labelSelector.isEmpty() ? "" : "&labelSelector=" + encode(labelSelector);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
