package kubenurse.checks.internal.http;

/** A check that is switched off or has nothing to call: it records nothing and reports "skipped". */
public record SkippedCheck(String type) implements Check {

    @Override
    public Observation run() {
        return Observation.skipped(type);
    }
}
