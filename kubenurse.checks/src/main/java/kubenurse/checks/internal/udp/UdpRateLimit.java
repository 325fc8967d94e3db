package kubenurse.checks.internal.udp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token buckets for the responder's replies: one per source address, so that a flood from one source does not
 * take the replies of another, and one over all, so that many sources together cannot make kubenurse a
 * reflector either. The table of sources is bounded; the least recently seen source is forgotten first (it
 * then starts again with a full bucket, which is at most one burst more).
 */
final class UdpRateLimit {

    private final double perSourceRate;
    private final double perSourceBurst;
    private final int maxSources;
    private final double totalRate;
    private final double totalBurst;
    /** Made at the first reply, so that it starts full on the clock the caller uses. Guarded by this. */
    private Bucket total;
    /** Access order: the eldest entry is the source seen least recently. Guarded by this. */
    private final Map<InetAddress, Bucket> sources;

    /**
     * @param perSourceRate  replies per second to one source
     * @param perSourceBurst replies one source may get at once
     * @param totalRate      replies per second to all sources together
     * @param totalBurst     replies all sources together may get at once
     * @param maxSources     sources remembered at once
     */
    UdpRateLimit(double perSourceRate, double perSourceBurst, double totalRate, double totalBurst, int maxSources) {
        if (!(perSourceRate > 0 && perSourceBurst >= 1 && totalRate > 0 && totalBurst >= 1 && maxSources > 0)) {
            throw new IllegalArgumentException("rate limit needs positive rates, bursts >= 1 and room for a source: "
                    + perSourceRate + "/s burst " + perSourceBurst + ", total " + totalRate + "/s burst " + totalBurst
                    + ", sources " + maxSources);
        }
        this.perSourceRate = perSourceRate;
        this.perSourceBurst = perSourceBurst;
        this.maxSources = maxSources;
        this.sources = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > UdpRateLimit.this.maxSources;
            }
        };
        this.totalRate = totalRate;
        this.totalBurst = totalBurst;
    }

    /** Whether a reply to {@code source} may go out at {@code nowNanos}; takes a token from both buckets if so. */
    synchronized boolean allow(InetAddress source, long nowNanos) {
        Bucket own = sources.computeIfAbsent(source, s -> new Bucket(perSourceBurst, nowNanos));
        own.refill(nowNanos, perSourceRate, perSourceBurst);
        if (total == null) {
            total = new Bucket(totalBurst, nowNanos);
        }
        total.refill(nowNanos, totalRate, totalBurst);
        if (own.tokens < 1 || total.tokens < 1) {
            return false;
        }
        own.tokens--;
        total.tokens--;
        return true;
    }

    synchronized int sourcesRemembered() {
        return sources.size();
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastNanos = nowNanos;
        }

        void refill(long nowNanos, double rate, double burst) {
            long elapsed = nowNanos - lastNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
                lastNanos = nowNanos;
            }
        }
    }
}
