package kubenurse.http;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers which neighbours checked us (the KUBENURSE-NEIGHBOUR-ORIGIN header of /alwayshappy) and
 * exports how many distinct ones did so in the last 60 s as kubenurse_neighbourhood_incoming_checks.
 * With a neighbour limit K this reads K on every pod when the hash ring is healthy.
 */
public final class IncomingChecks {

    public static final String ORIGIN_HEADER = kubenurse.checks.NeighbourOriginHeader.NAME;
    static final Duration TTL = Duration.ofSeconds(60);
    /** Bounds memory against callers that invent origins; far above any real neighbour count. */
    static final int MAX_ORIGINS = 20_000;

    private final Map<String, Long> lastSeenNanos = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    /** @param nanoClock monotonic nanoseconds, {@code System::nanoTime} outside tests */
    public IncomingChecks(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Creates one on the system clock and registers its gauge. */
    public static IncomingChecks register(PrometheusRegistry registry) {
        IncomingChecks incoming = new IncomingChecks(System::nanoTime);
        GaugeWithCallback.builder()
                .name("kubenurse_neighbourhood_incoming_checks")
                .help("Number of distinct kubenurse pods that checked this one in the last 60 seconds")
                .callback(callback -> callback.call(incoming.distinctOrigins()))
                .register(registry);
        return incoming;
    }

    public void record(String origin) {
        if (origin == null || origin.isEmpty()) {
            return;
        }
        if (lastSeenNanos.size() >= MAX_ORIGINS && !lastSeenNanos.containsKey(origin)) {
            forgetExpired();
            if (lastSeenNanos.size() >= MAX_ORIGINS) {
                return;
            }
        }
        lastSeenNanos.put(origin, nanoClock.getAsLong());
    }

    /** Distinct origins seen within the last 60 s. */
    public int distinctOrigins() {
        forgetExpired();
        return lastSeenNanos.size();
    }

    private void forgetExpired() {
        long now = nanoClock.getAsLong();
        lastSeenNanos.values().removeIf(seen -> now - seen > TTL.toNanos());
    }
}
