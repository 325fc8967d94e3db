package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import kubenurse.checks.internal.trace.Trace;
import org.junit.jupiter.api.Test;

/** What a failure is called, from what java.net.http threw and what the trace saw. */
class FailureTest {

    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration REQUEST = Duration.ofSeconds(6);

    @Test
    void aLookupGivenUpIsReportedAsDnsWhateverTheClientMadeOfIt() {
        for (Throwable thrown : new Throwable[] {new HttpConnectTimeoutException("HTTP connect timed out"),
                new HttpTimeoutException("request timed out"), new UnresolvedAddressException()}) {
            Trace trace = new Trace();
            trace.mark(Trace.DNS_START);
            trace.lookupUnfinished("DNS lookup of never.example.test timed out after 6s");
            assertEquals(new Failure("DNS lookup of never.example.test timed out after 6s", "dns_start"),
                    Failure.of(thrown, "never.example.test", CONNECT, REQUEST, trace), thrown.toString());
        }
        Trace trace = new Trace();
        trace.lookupUnfinished("DNS lookup of never.example.test timed out after 6s");
        assertEquals(new Failure("DNS lookup of never.example.test timed out after 6s", "dns_start"),
                Failure.timeout(REQUEST, trace), "the check's own bound ran out first");
    }

    @Test
    void aFailedLookupIsAnUnknownHost() {
        Trace trace = new Trace();
        trace.mark(Trace.DNS_START);
        trace.mark(Trace.DNS_DONE);
        Throwable thrown = new java.net.ConnectException();
        thrown.initCause(new UnresolvedAddressException());
        assertEquals(new Failure("unknown host missing.test", "dns_done"),
                Failure.of(thrown, "missing.test", CONNECT, REQUEST, trace));
        assertEquals(new Failure("unknown host missing.test", "dns_done"),
                Failure.of(new UnknownHostException("missing.test"), "missing.test", CONNECT, REQUEST, new Trace()));
    }

    @Test
    void aConnectTimeoutWithoutAHungLookupStaysOne() {
        assertEquals(new Failure("connect timeout after 5s", "connect_done"),
                Failure.of(new HttpConnectTimeoutException("HTTP connect timed out"), "10.0.0.1", CONNECT, REQUEST,
                        new Trace()));
    }

    @Test
    void aConnectTimeoutInsideAnotherExceptionIsStillOne() {
        Throwable thrown = new IOException("send failed", new HttpConnectTimeoutException("HTTP connect timed out"));
        assertEquals(new Failure("connect timeout after 5s", "connect_done"),
                Failure.of(thrown, "10.0.0.1", CONNECT, REQUEST, new Trace()));
    }

    @Test
    void noRouteNamesTheHost() {
        Throwable thrown = new ConnectException("No route to host");
        thrown.initCause(new NoRouteToHostException("No route to host"));
        assertEquals(new Failure("no route to host 10.0.0.9", "connect_done"),
                Failure.of(thrown, "10.0.0.9", CONNECT, REQUEST, new Trace()));
    }

    @Test
    void aResetAfterConnectingIsAResetByThePeer() {
        assertEquals(new Failure("connection reset by peer", "round_trip_error"),
                Failure.of(new IOException("Connection reset"), "10.0.0.1", CONNECT, REQUEST, new Trace()));
    }

    @Test
    void aTimeoutDuringTheHandshakeSaysSo() {
        Trace handshaking = new Trace();
        handshaking.mark(Trace.TLS_HANDSHAKE_START);
        Failure expected = new Failure("timeout after 6s during the TLS handshake", "tls_handshake_done");
        assertEquals(expected, Failure.timeout(REQUEST, handshaking), "the check's own bound ran out");
        assertEquals(expected, Failure.of(new HttpTimeoutException("request timed out"), "10.0.0.1", CONNECT, REQUEST,
                handshaking), "the client's request timeout ran out");
        Trace handshaken = new Trace();
        handshaken.mark(Trace.TLS_HANDSHAKE_START);
        handshaken.mark(Trace.TLS_HANDSHAKE_DONE);
        assertEquals(new Failure("timeout after 6s", "round_trip_error"), Failure.timeout(REQUEST, handshaken),
                "after the handshake a timeout is the round trip's");
    }

    @Test
    void aCertificateNotYetValidIsCalledSo() {
        Throwable thrown = new SSLHandshakeException("PKIX path validation failed");
        thrown.initCause(new CertificateException(new CertificateNotYetValidException("NotBefore: tomorrow")));
        Trace trace = new Trace();
        trace.mark(Trace.TLS_HANDSHAKE_START);
        assertEquals(new Failure("certificate not yet valid", "tls_handshake_done"),
                Failure.of(thrown, "api.test", CONNECT, REQUEST, trace));
    }
}
