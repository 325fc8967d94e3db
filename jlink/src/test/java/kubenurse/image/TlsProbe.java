package kubenurse.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client that accepts whatever certificate the server presents, so that a test can see WHICH one
 * it was (trust is not what is under test), and then asks for /alwayshappy over that session.
 */
final class TlsProbe {

    /** What one connection saw: the server's leaf certificate and the status of GET /alwayshappy. */
    record Seen(X509Certificate certificate, int status) {
    }

    private TlsProbe() {
    }

    static Seen alwayshappy(int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAny()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(5000);
                socket.startHandshake();
                X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                socket.getOutputStream().write("GET /alwayshappy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1); // "HTTP/1.1 200"
                return new Seen(leaf, Integer.parseInt(head.substring(9, 12)));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up a TLS client", e);
        }
    }

    static X509Certificate read(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate " + pem, e);
        }
    }

    private static final class AcceptAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
