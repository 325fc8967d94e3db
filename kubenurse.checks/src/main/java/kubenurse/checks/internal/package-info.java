/**
 * The schedule and the results: cycles of checks, their runs, metrics and the published
 * {@link kubenurse.checks.CheckResults}; {@link kubenurse.checks.internal.CheckerFactory} is the API's one way in.
 */
package kubenurse.checks.internal;
