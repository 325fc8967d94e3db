package kubenurse.discovery.internal;

import java.time.Duration;

/**
 * Timings of list+watch.
 *
 * @param pageSize      items per list page (limit); the continue token fetches the next page
 * @param requestTimeout until a list page's or a watch's response headers arrive
 * @param watchTimeout  timeoutSeconds asked of the API server: it ends the watch, we start the next one
 * @param idleLimit     a watch that sends nothing (not even a bookmark) this long is taken for dead
 * @param firstBackoff  wait after the first failure; doubles per failure, with jitter
 * @param maxBackoff    the longest wait between two attempts
 */
record WatchSettings(int pageSize, Duration requestTimeout, Duration watchTimeout, Duration idleLimit,
        Duration firstBackoff, Duration maxBackoff) {

    /** In a cluster: bookmarks arrive about every minute, so 6 idle minutes means a dead connection. */
    static final WatchSettings DEFAULT = new WatchSettings(500, Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(6), Duration.ofMillis(500), Duration.ofSeconds(30));
}
