package kubenurse.checks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubenurse.discovery.Neighbour;

/**
 * One immutable snapshot of the latest result of every check, in a stable order: the built-in checks, the
 * neighbours' path checks, then the extra checks.
 *
 * @param results       the latest result of each check
 * @param neighbourhood the neighbours that are checked
 * @param eligible      every pod that qualified as a neighbour, checked or not, in the same discovery snapshot as
 *                      {@code neighbourhood} (the one the shown cycle was planned from): /alive lists them
 * @param verdict       the latest verdict on our node's network, judged once per scheduled cycle
 */
public record CheckResults(List<CheckResult> results, List<Neighbour> neighbourhood, List<Neighbour> eligible,
        Verdict verdict) {

    public CheckResults {
        results = List.copyOf(results);
        neighbourhood = List.copyOf(neighbourhood);
        eligible = List.copyOf(eligible);
        java.util.Objects.requireNonNull(verdict, "verdict");
    }

    /** Results without a verdict ({@link Verdict#skipped()}). */
    public CheckResults(List<CheckResult> results, List<Neighbour> neighbourhood, List<Neighbour> eligible) {
        this(results, neighbourhood, eligible, Verdict.skipped());
    }

    /** Type to outcome, in snapshot order. */
    public Map<String, String> byType() {
        Map<String, String> byType = new LinkedHashMap<>();
        results.forEach(r -> byType.put(r.type(), r.outcome()));
        return byType;
    }

    public Optional<String> outcome(String type) {
        return results.stream().filter(r -> r.type().equals(type)).map(CheckResult::outcome).findFirst();
    }

    /** The seed's contract for /alive: healthy when every check is ok or skipped. */
    public boolean healthy() {
        return results.stream().allMatch(r -> r.isOk() || r.isSkipped());
    }

    /** "ok" when every neighbour's path check is ok, else the first failure's text (as Go reports it). */
    public String neighbourhoodState() {
        for (Neighbour neighbour : neighbourhood) {
            Optional<String> outcome = outcome(neighbour.checkType());
            if (outcome.isPresent() && !outcome.get().equals(CheckResult.OK)) {
                return outcome.get();
            }
        }
        return CheckResult.OK;
    }
}
