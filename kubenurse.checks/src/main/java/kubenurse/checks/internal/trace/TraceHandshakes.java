package kubenurse.checks.internal.trace;

import javax.net.ssl.SSLSession;
import kubenurse.config.TlsClientContext.Handshakes;

/**
 * Marks tls_handshake_start at the first record a connection's engine produces (its ClientHello) and
 * tls_handshake_done when the handshake finishes, on the trace of the run that made the connection.
 *
 * @param resumable false: the session is invalidated once established, so no later connection resumes it
 */
public record TraceHandshakes(Trace trace, boolean resumable) implements Handshakes {

    /** The handshakes of a connection made now for the run of {@code trace}. */
    public static Handshakes of(Trace trace, boolean resumable) {
        // an engine made outside a run (none is) would report to a trace nobody reads
        return new TraceHandshakes(trace != null ? trace : new Trace(), resumable);
    }

    @Override
    public void starting() {
        trace.mark(Trace.TLS_HANDSHAKE_START);
    }

    @Override
    public void finished(SSLSession session) {
        trace.mark(Trace.TLS_HANDSHAKE_DONE);
        if (!resumable) {
            // the JDK caches every session by host and port and resumes it on the next connection there (an
            // abbreviated handshake, not what a check of a fresh connection is to measure); an invalidated
            // session stays usable by its own connection and leaves the cache
            session.invalidate();
        }
    }

    @Override
    public void keyShareRefused() {
        trace.oneShareRefused();
    }
}
