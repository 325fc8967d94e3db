package kubenurse.http.internal;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import kubenurse.http.IncomingChecks;

/**
 * {@link IncomingChecks} on a monotonic clock: the last time each origin was seen, forgotten after 60 s.
 *
 * <p>Any client can send the header, so what is kept is bounded: only values shaped like a pod name are
 * recorded, and at most {@link #MAX_ORIGINS} of them holding at most {@link #MAX_ORIGIN_CHARS} characters
 * in all (about 1.5 MB at the worst); beyond that new origins are not counted until old ones expire.
 */
public final class IncomingOrigins implements IncomingChecks {

    static final Duration TTL = Duration.ofSeconds(60);
    /** Far above any real count: with NEIGHBOUR_LIMIT=0 each pod is checked by every other, 5,000 at most. */
    static final int MAX_ORIGINS = 10_000;
    /** Real pod names are ~20 characters; 10,000 of them fill a tenth of this. */
    static final int MAX_ORIGIN_CHARS = 512 * 1024;
    /** A pod name is a DNS-1123 subdomain (what the API server accepts as metadata.name). */
    static final int MAX_POD_NAME = 253;
    private static final Pattern POD_NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Logger LOG = System.getLogger("kubenurse.http");

    private final Map<String, Long> lastSeenNanos = new HashMap<>();
    private final LongSupplier nanoClock;
    /** How long an origin is kept: the gauge's 60 s, or the verdicts' window when that is longer. */
    private final long keepNanos;
    private long chars;
    private boolean full;

    /**
     * @param nanoClock monotonic nanoseconds, {@code System::nanoTime} outside tests
     * @param keep      how long an origin is kept at least (at least the gauge's 60 s are kept anyway)
     */
    IncomingOrigins(LongSupplier nanoClock, Duration keep) {
        this.nanoClock = nanoClock;
        this.keepNanos = Math.max(TTL.toNanos(), keep.toNanos());
    }

    IncomingOrigins(LongSupplier nanoClock) {
        this(nanoClock, TTL);
    }

    /** Creates one on the system clock and registers its gauge: {@link IncomingChecks#register}. */
    public static IncomingChecks register(PrometheusRegistry registry, Duration keep) {
        IncomingOrigins incoming = new IncomingOrigins(System::nanoTime, keep);
        GaugeWithCallback.builder()
                .name("kubenurse_neighbourhood_incoming_checks")
                .help("Number of distinct kubenurse pods that checked this one in the last 60 seconds")
                .callback(callback -> callback.call(incoming.distinctOrigins()))
                .register(registry);
        return incoming;
    }

    @Override
    public void record(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > MAX_POD_NAME || !POD_NAME.matcher(origin).matches()) {
            return;
        }
        long now = nanoClock.getAsLong();
        synchronized (this) {
            if (lastSeenNanos.replace(origin, now) != null) {
                return;
            }
            if (lastSeenNanos.size() >= MAX_ORIGINS || chars + origin.length() > MAX_ORIGIN_CHARS) {
                forgetExpired(now);
                if (lastSeenNanos.size() >= MAX_ORIGINS || chars + origin.length() > MAX_ORIGIN_CHARS) {
                    if (!full) {
                        full = true;
                        LOG.log(Level.WARNING, "event=incoming_origins_full origins=" + lastSeenNanos.size()
                                + " chars=" + chars + " action=not_counting_new_origins_until_old_ones_expire");
                    }
                    return;
                }
            }
            full = false;
            lastSeenNanos.put(origin, now);
            chars += origin.length();
        }
    }

    @Override
    public synchronized int distinctOrigins() {
        long now = nanoClock.getAsLong();
        forgetExpired(now);
        return (int) lastSeenNanos.values().stream().filter(seen -> now - seen <= TTL.toNanos()).count();
    }

    @Override
    public synchronized Set<String> heardWithin(Duration window) {
        long now = nanoClock.getAsLong();
        forgetExpired(now);
        Set<String> heard = new HashSet<>();
        lastSeenNanos.forEach((origin, seen) -> {
            if (now - seen <= window.toNanos()) {
                heard.add(origin);
            }
        });
        return heard;
    }

    private void forgetExpired(long now) {
        for (Iterator<Map.Entry<String, Long>> entries = lastSeenNanos.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<String, Long> entry = entries.next();
            if (now - entry.getValue() > keepNanos) {
                chars -= entry.getKey().length();
                entries.remove();
            }
        }
    }
}
