package kubenurse.config;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An already initialised SSLContext for our TLS clients (java.net.http's), whose engines offer one key share
 * where a destination accepts it ({@link KeyShares}) and tell a {@link Handshakes} what their handshake did.
 * java.net.http has neither a handshake callback nor a way to set named groups (its copy of the client's
 * SSLParameters drops them); the engine it creates, one per connection, is the one place for both. Cheap to make:
 * it wraps, it does not initialise.
 */
public final class TlsClientContext extends SSLContext {

    /** Told, on the connection's own thread, what one engine's handshake did. */
    public interface Handshakes {

        /** The engine is about to produce its first record (the ClientHello); called again for later records. */
        default void starting() {
        }

        /** The handshake has finished, with {@code session}. */
        default void finished(SSLSession session) {
        }

        /** The server refused the handshake offered one key share: another attempt is offered every group. */
        default void keyShareRefused() {
        }
    }

    private TlsClientContext(SSLContext delegate, KeyShares keyShares, Supplier<Handshakes> handshakes) {
        super(new Spi(delegate, keyShares, handshakes), delegate.getProvider(), delegate.getProtocol());
    }

    /**
     * @param keyShares  which named groups each destination is offered
     * @param handshakes asked for the observer of each engine when it is created (when a connection is made)
     */
    public static SSLContext wrap(SSLContext delegate, KeyShares keyShares, Supplier<Handshakes> handshakes) {
        return new TlsClientContext(delegate, keyShares, handshakes);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final KeyShares keyShares;
        private final Supplier<Handshakes> handshakes;

        Spi(SSLContext delegate, KeyShares keyShares, Supplier<Handshakes> handshakes) {
            this.delegate = delegate;
            this.keyShares = keyShares;
            this.handshakes = handshakes;
        }

        private SSLEngine observed(SSLEngine engine) {
            return new ObservedSslEngine(engine, keyShares, handshakes.get());
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
            return observed(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return observed(delegate.createSSLEngine(host, port));
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
