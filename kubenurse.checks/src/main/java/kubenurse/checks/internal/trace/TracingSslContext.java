package kubenurse.checks.internal.trace;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An already initialised SSLContext whose engines report the TLS handshake of a request to its
 * {@link Trace}. java.net.http has no handshake callback; the engine it creates (one per connection, when
 * the connection is made) is the one place that sees the handshake begin and finish. Cheap to make: it
 * wraps, it does not initialise.
 */
public final class TracingSslContext extends SSLContext {

    private TracingSslContext(SSLContext delegate, Supplier<Trace> trace, boolean resumable, KeyShares keyShares) {
        super(new Spi(delegate, trace, resumable, keyShares), delegate.getProvider(), delegate.getProtocol());
    }

    /**
     * @param trace     the trace of the request being made, asked when a connection's engine is created
     * @param resumable false: no later connection resumes the TLS session of one made here (each does a full
     *                  handshake, as Go's transport without a session cache does)
     * @param keyShares which named groups each destination is offered
     */
    public static SSLContext wrap(SSLContext delegate, Supplier<Trace> trace, boolean resumable, KeyShares keyShares) {
        return new TracingSslContext(delegate, trace, resumable, keyShares);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final Supplier<Trace> trace;
        private final boolean resumable;
        private final KeyShares keyShares;

        Spi(SSLContext delegate, Supplier<Trace> trace, boolean resumable, KeyShares keyShares) {
            this.delegate = delegate;
            this.trace = trace;
            this.resumable = resumable;
            this.keyShares = keyShares;
        }

        private SSLEngine traced(SSLEngine engine) {
            Trace current = trace.get();
            // an engine made outside a run (none is) would report to a trace nobody reads
            return new TracingSslEngine(engine, current != null ? current : new Trace(), resumable, keyShares);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            throw new KeyManagementException("already initialised: wraps an initialised context");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return traced(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return traced(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
