package kubenurse.checks.internal;

import java.security.KeyManagementException;
import java.security.SecureRandom;
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
 * An already initialised SSLContext whose engines report the TLS handshake of one request to its
 * {@link Trace}. java.net.http has no handshake callback; the engine it creates is the one place that
 * sees the handshake begin and finish. Cheap to make: it wraps, it does not initialise.
 */
final class TracingSslContext extends SSLContext {

    private TracingSslContext(SSLContext delegate, Trace trace) {
        super(new Spi(delegate, trace), delegate.getProvider(), delegate.getProtocol());
    }

    static SSLContext wrap(SSLContext delegate, Trace trace) {
        return new TracingSslContext(delegate, trace);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final Trace trace;

        Spi(SSLContext delegate, Trace trace) {
            this.delegate = delegate;
            this.trace = trace;
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
            return new TracingSslEngine(delegate.createSSLEngine(), trace);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new TracingSslEngine(delegate.createSSLEngine(host, port), trace);
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
