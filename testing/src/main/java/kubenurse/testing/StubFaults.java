package kubenurse.testing;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults a test has asked the stub API server for (a token required, failing paths, hung requests, hung,
 * truncated or ERROR watches, an expired continue token): set from the test's thread, taken by the request
 * handlers.
 */
final class StubFaults {

    private final Map<String, AtomicInteger> failures = new LinkedHashMap<>();
    private final Map<String, Integer> failureStatus = new LinkedHashMap<>();
    private volatile String requiredToken;
    private volatile boolean hangWatches;
    private volatile boolean truncateNextWatch;
    private volatile boolean errorGoneOnNextWatch;
    private volatile Map.Entry<String, Runnable> expireNextContinue;
    /** Path prefixes whose requests are held unanswered; guarded by this. */
    private final Set<String> hungPrefixes = new HashSet<>();
    private boolean closing;

    void requireToken(String token) {
        this.requiredToken = token;
    }

    /** True unless a token is required and {@code authorization} does not carry it. */
    boolean authorized(String authorization) {
        String token = requiredToken;
        return token == null || ("Bearer " + token).equals(authorization);
    }

    synchronized void failNext(String pathPrefix, int status, int times) {
        failures.put(pathPrefix, new AtomicInteger(times));
        failureStatus.put(pathPrefix, status);
    }

    /** The status a request of {@code path} is to fail with, counting it; null when it is to be served. */
    synchronized Integer takeFailure(String path) {
        for (Map.Entry<String, AtomicInteger> entry : failures.entrySet()) {
            if (path.startsWith(entry.getKey()) && entry.getValue().getAndDecrement() > 0) {
                return failureStatus.get(entry.getKey());
            }
        }
        return null;
    }

    synchronized void hangRequests(String pathPrefix) {
        hungPrefixes.add(pathPrefix);
    }

    /** The held requests are answered now, and later ones at once. */
    synchronized void releaseHungRequests() {
        hungPrefixes.clear();
        notifyAll();
    }

    /** The server closes: held requests end unanswered, so that no handler thread outlives it. */
    synchronized void closing() {
        closing = true;
        hungPrefixes.clear();
        notifyAll();
    }

    /**
     * Holds a request of {@code path} while its prefix is to hang; true when it is then to be answered, false
     * when the server closes meanwhile.
     */
    synchronized boolean holdWhileHung(String path) {
        while (!closing && hungPrefixes.stream().anyMatch(path::startsWith)) {
            try {
                wait();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !closing;
    }

    void hangWatches(boolean hang) {
        this.hangWatches = hang;
    }

    boolean watchesHang() {
        return hangWatches;
    }

    void truncateNextWatch() {
        this.truncateNextWatch = true;
    }

    /** True once, for the watch that is to be truncated. */
    boolean takeTruncate() {
        if (truncateNextWatch) {
            truncateNextWatch = false;
            return true;
        }
        return false;
    }

    void errorGoneOnNextWatch() {
        this.errorGoneOnNextWatch = true;
    }

    /** True once, for the watch that is to send an ERROR 410. */
    boolean takeErrorGone() {
        if (errorGoneOnNextWatch) {
            errorGoneOnNextWatch = false;
            return true;
        }
        return false;
    }

    void expireNextContinueToken(String path, Runnable meanwhile) {
        this.expireNextContinue = Map.entry(path, meanwhile);
    }

    /**
     * For a list request of {@code path} that carries a continue token: what is to happen meanwhile, when its
     * token is the one to expire (once); else null.
     */
    Runnable takeExpiredContinue(String path) {
        Map.Entry<String, Runnable> expire = expireNextContinue;
        if (expire != null && expire.getKey().equals(path)) {
            expireNextContinue = null;
            return expire.getValue();
        }
        return null;
    }
}
