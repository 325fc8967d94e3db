package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
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
}
