package kubenurse.checks;

import java.time.Duration;
import java.util.Set;

/** Who checked us lately: the pod names of the neighbours whose path checks reached our server. */
@FunctionalInterface
public interface HeardCheckers {

    /** The pod names heard from within the last {@code window}. */
    Set<String> heardWithin(Duration window);
}
