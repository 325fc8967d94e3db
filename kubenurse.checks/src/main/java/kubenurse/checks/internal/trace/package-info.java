/**
 * The timeline of one check's request: {@link kubenurse.checks.internal.trace.Trace}, the resolver that marks it
 * from inside java.net.http, and what the TLS engine (kubenurse.config's TlsClientContext) tells it. Knows nothing
 * of checks or their schedule.
 */
package kubenurse.checks.internal.trace;
