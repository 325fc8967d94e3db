/**
 * One check and the HTTP call it makes: the check contract ({@link kubenurse.checks.internal.http.Check},
 * {@link kubenurse.checks.internal.http.Observation}), its two kinds, and what an HTTP check runs on (its clients,
 * trust, proxy, and the words for a failure). Depends on the trace package, never on the schedule that runs it.
 */
package kubenurse.checks.internal.http;
