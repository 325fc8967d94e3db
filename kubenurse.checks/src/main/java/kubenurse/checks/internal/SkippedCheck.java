package kubenurse.checks.internal;

import kubenurse.checks.CheckResult;

/** A check that is switched off or has nothing to call: it records nothing and reports "skipped". */
record SkippedCheck(String type) implements Check {

    @Override
    public CheckResult run() {
        return CheckResult.skipped(type);
    }
}
