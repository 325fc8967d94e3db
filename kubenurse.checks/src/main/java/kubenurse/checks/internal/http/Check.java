package kubenurse.checks.internal.http;

/** One check: a call over one network path, reduced to an observation. Never throws; a failure is a result. */
public interface Check {

    String type();

    /**
     * What identifies this check between cycles: its type, except where two checks share one (the two pods
     * of a surge rollout on one node are both path_NODE), which then differ by their target.
     */
    default String key() {
        return type();
    }

    /** True when a run makes a TLS handshake in our process (https, also through a proxy): a cycle spaces those. */
    default boolean tls() {
        return false;
    }

    Observation run();
}
