package kubenurse.checks.internal;

/** One check: a call over one network path, reduced to an observation. Never throws; a failure is a result. */
interface Check {

    String type();

    Observation run();
}
