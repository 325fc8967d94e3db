package kubenurse.discovery.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the API server answers our lists and watches. Logs a change of state once, not every retry: an
 * API server that is down for an hour gives two lines, not thousands.
 */
final class ApiHealth {

    private static final Logger LOG = System.getLogger("kubenurse.discovery");

    private final String resource;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    ApiHealth(String resource) {
        this.resource = resource;
    }

    void ok() {
        if (reachable.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "event=api_reachable resource=" + resource);
        }
    }

    void failed(String what) {
        if (reachable.compareAndSet(true, false)) {
            LOG.log(Level.WARNING, "event=api_unreachable resource=" + resource + " error=\"" + what
                    + "\" action=keeping_last_known_state");
        } else {
            LOG.log(Level.DEBUG, "event=api_retry_failed resource=" + resource + " error=\"" + what + "\"");
        }
    }
}
