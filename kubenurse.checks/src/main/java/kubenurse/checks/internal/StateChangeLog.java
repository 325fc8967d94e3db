package kubenurse.checks.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kubenurse.checks.CheckResult;
import kubenurse.config.LogValue;

/** Logs one line when a check turns from ok to failing or back, so that a steady state logs nothing. */
final class StateChangeLog {

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final Map<String, CheckResult> previous = new ConcurrentHashMap<>();

    void observe(String key, CheckResult result) {
        CheckResult before = previous.put(key, result);
        if (before != null && before.isOk() != result.isOk()) {
            LOG.log(result.isOk() ? Level.INFO : Level.WARNING, "event=check_state_changed type=" + result.type()
                    + " from=" + LogValue.quote(before.outcome()) + " to=" + LogValue.quote(result.outcome()));
        }
    }

    /** Forgets the checks that left the plan: a neighbour that comes back starts afresh. */
    void forget(Set<String> departedKeys) {
        previous.keySet().removeAll(departedKeys);
    }
}
