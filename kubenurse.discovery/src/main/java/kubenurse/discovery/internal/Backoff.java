package kubenurse.discovery.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: waits grow from the first to the maximum, each drawn between half and
 * the whole of its step, so that thousands of pods that lost the API server together do not return in
 * lockstep.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration step;

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.step = first;
    }

    Duration next() {
        Duration current = step;
        step = step.multipliedBy(2).compareTo(max) > 0 ? max : step.multipliedBy(2);
        long nanos = current.toNanos();
        return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
    }

    void reset() {
        step = first;
    }
}
