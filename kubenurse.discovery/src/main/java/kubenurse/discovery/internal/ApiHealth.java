package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import kubenurse.config.LogValue;

/**
 * Whether one watcher's lists and watches succeed, and if not, what failed last. Logs a change of state once,
 * not every retry: an API server that is down for an hour gives two lines, not thousands.
 */
final class ApiHealth {

    /** The longest problem text handed out; the rest is cut. */
    static final int MAX_PROBLEM_CHARS = 512;

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    /** What failed last and when (System.nanoTime), so that the newer of two watchers' problems can be told. */
    record Problem(String text, long atNanos) {
    }

    private final String resource;
    private final Consumer<String> onFailure;
    private final AtomicReference<Problem> problem = new AtomicReference<>();

    /** @param onFailure told of every failure, with its text (cheap, never blocks) */
    ApiHealth(String resource, Consumer<String> onFailure) {
        this.resource = resource;
        this.onFailure = onFailure;
    }

    void ok() {
        if (problem.getAndSet(null) != null) {
            LOG.log(Level.INFO, "event=api_reachable resource=" + resource);
        }
    }

    /**
     * Records a failure; the first of a streak is logged as a warning, the others at debug.
     *
     * @param what   what was being done and what went wrong; may hold text from the API server
     * @param action what the watcher does next (retrying, relisting, resuming)
     */
    void failed(String what, String action) {
        String text = resource + ": " + what;
        if (text.length() > MAX_PROBLEM_CHARS) {
            int end = MAX_PROBLEM_CHARS - 3;
            text = text.substring(0, Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end) + "...";
        }
        Problem before = problem.getAndSet(new Problem(text, System.nanoTime()));
        // after recording: whoever is told may read problem() at once
        onFailure.accept(text);
        if (before == null) {
            LOG.log(Level.WARNING, "event=api_unreachable resource=" + resource + " error=" + LogValue.quote(what)
                    + " action=" + action + " meanwhile=keeping_last_known_state");
        } else {
            LOG.log(Level.DEBUG, () -> "event=api_retry_failed resource=" + resource + " error=" + LogValue.quote(what)
                    + " action=" + action);
        }
    }

    /** Empty while the last attempt succeeded (and before the first); else what failed last. */
    Optional<Problem> problem() {
        return Optional.ofNullable(problem.get());
    }
}
