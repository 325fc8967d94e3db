package kubenurse.checks.internal;

import kubenurse.checks.CheckResult;

/** One check: a call over one network path, reduced to a result. Never throws; a failure is a result. */
interface Check {

    String type();

    CheckResult run();
}
