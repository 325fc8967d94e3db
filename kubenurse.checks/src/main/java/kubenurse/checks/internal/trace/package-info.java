/**
 * The timeline of one check's request: {@link kubenurse.checks.internal.trace.Trace} and the resolver and TLS
 * engine that mark it from inside java.net.http. Knows nothing of checks or their schedule.
 */
package kubenurse.checks.internal.trace;
