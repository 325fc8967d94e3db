package kubenurse.discovery.internal;

import com.eclipsesource.json.JsonObject;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Mirrors one selection of objects (pods by label, nodes by field) from the API server: a paged list, then a watch from the
 * list's resourceVersion with bookmarks; when a watch ends it resumes from the last resourceVersion seen,
 * and relists only on 410 Gone. Errors are retried with backoff; the last known objects stay in use
 * meanwhile. Only the decoded few fields are kept, never the JSON. Nothing the API server sends ends the
 * loop: an unexpected failure (a malformed event, a bug in decoding) is reported through {@link ApiHealth}
 * and followed by a backoff and a new list, since the resourceVersion to resume from may be wrong.
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
    private final String selectors;
    private final ApiClient api;
    private final WatchSettings settings;
    private final ApiHealth health;
    private final MirroredObjects<T> store;
    private volatile boolean synced;
    private volatile boolean stopped;
    private volatile InputStream openWatch;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Watches in a row that failed before they started streaming; guarded by the run loop's thread. */
    private int failedWatches;
    /** What the run loop is doing ("list /api/v1/pods"), for the failure's message; its thread only. */
    private String step = "";

    /**
     * @param selectors the query's selectors, from {@link #selectors(String, String)}
     * @param key       the object's key, "" when it has no usable name (such objects are skipped)
     * @param wanted    whether a decoded object belongs to the selection (see {@link MirroredObjects})
     */
    ResourceWatcher(String collectionPath, String selectors, Function<JsonObject, T> decode, Function<T, String> key,
            Predicate<T> wanted, ApiClient api, WatchSettings settings, ApiHealth health, Runnable onChange) {
        this.collectionPath = collectionPath;
        this.selectors = selectors;
        this.api = api;
        this.settings = settings;
        this.health = health;
        this.store = new MirroredObjects<>(collectionPath, decode, key, wanted, onChange);
    }

    /** The query's selector part, "&labelSelector=...&fieldSelector=...", leaving out an empty one. */
    static String selectors(String labelSelector, String fieldSelector) {
        return (labelSelector.isEmpty() ? "" : "&labelSelector=" + encode(labelSelector))
                + (fieldSelector.isEmpty() ? "" : "&fieldSelector=" + encode(fieldSelector));
    }

    Collection<T> objects() {
        return store.objects();
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
                } else {
                    backoff.reset();
                }
            } catch (Gone gone) {
                if (goneRightAfterList) {
                    // even a fresh list's version is gone: relisting at once would loop, so back off
                    health.failed(describe(gone), "relisting");
                    sleep(backoff.next());
                }
                resourceVersion = null;
            } catch (IOException | ApiError failed) {
                if (stopped) {
                    return;
                }
                health.failed(describe(failed), "retrying");
                if (resourceVersion != null && ++failedWatches >= RELIST_AFTER_FAILED_WATCHES) {
                    // the watch keeps failing (an outage, a changed permission): after the next wait, start over
                    resourceVersion = null;
                    failedWatches = 0;
                }
                sleep(backoff.next());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (VirtualMachineError fatal) {
                throw fatal; // out of memory or stack: nothing sensible is left to do here
            } catch (Exception | Error unexpected) {
                // a malformed event or anything we did not foresee: the stream and its resourceVersion are
                // not to be trusted, so after a wait the state comes from a new list
                if (stopped) {
                    return;
                }
                health.failed(describe(unexpected), "relisting");
                resourceVersion = null;
                failedWatches = 0;
                sleep(backoff.next());
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
            health.failed("watch " + collectionPath + ": silent for more than " + settings.idleLimit(), "resuming");
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
        step = "list " + collectionPath;
        Map<String, T> listed = new HashMap<>();
        String continueToken = null;
        String resourceVersion;
        do {
            String query = "?limit=" + settings.pageSize() + selectors
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
                list = StreamedList.parse(new JsonDepthLimit(new InputStreamReader(body, StandardCharsets.UTF_8)),
                        item -> store.decodeInto(listed, item));
            }
            JsonObject metadata = Lenient.object(list, "metadata");
            resourceVersion = Lenient.text(metadata, "resourceVersion");
            continueToken = Lenient.text(metadata, "continue");
            if (continueToken.isEmpty()) {
                continueToken = null;
                // synced first: replaceAll reports the change, and whoever reads then must see both
                synced = true;
                store.replaceAll(listed);
                return resourceVersion;
            }
        } while (!stopped);
        throw new InterruptedException("stopped while listing");
    }

    /** One watch from {@code resourceVersion}; returns the last resourceVersion seen when it ends. */
    private String watch(String resourceVersion, Backoff backoff)
            throws IOException, InterruptedException, ApiError, Gone, WatchEvent.Malformed {
        step = "watch " + collectionPath;
        String query = "?watch=true&allowWatchBookmarks=true&resourceVersion=" + encode(resourceVersion)
                + "&timeoutSeconds=" + settings.watchTimeout().toSeconds() + selectors;
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
            failedWatches = 0;
            openWatch = body;
            lastActivityNanos = System.nanoTime();
            WatchLines lines = new WatchLines(new InputStreamReader(body, StandardCharsets.UTF_8));
            boolean applied = false;
            for (String line = lines.next(); line != null && !stopped; line = lines.next()) {
                lastActivityNanos = System.nanoTime();
                if (!line.isBlank()) {
                    last = store.apply(WatchEvent.parse(line), last);
                    if (!applied) {
                        // only a watch that delivers is a recovery: one that breaks at once, every time, must
                        // not turn into a relist every first backoff
                        backoff.reset();
                        applied = true;
                    }
                }
            }
        } finally {
            openWatch = null;
        }
        return last;
    }

    /** The failure as "watch /api/v1/nodes: what went wrong", naming the exception when it is not our own. */
    private String describe(Throwable failure) {
        boolean ours = failure instanceof ApiError || failure instanceof Gone || failure instanceof WatchEvent.Malformed;
        String name = failure.getClass().getSimpleName();
        String text = failure.getMessage() == null ? name : ours ? failure.getMessage() : name + ": " + failure.getMessage();
        return text.startsWith(step) ? text : step + ": " + text;
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
