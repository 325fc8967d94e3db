package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resolver on its own: the JVM picks its resolver once, at its first lookup, so a test JVM whose
 * harness looked up a name first never uses the provider. The linked image, where our module provides it,
 * is tested end to end in ImageIT (dns events in /metrics).
 */
class TracingResolverTest {

    /** A builtin resolver that takes 50 ms and knows one name. */
    private static final InetAddressResolver SLOW_BUILTIN = new InetAddressResolver() {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!host.equals("known.test")) {
                throw new UnknownHostException(host);
            }
            return Stream.of(InetAddress.getLoopbackAddress());
        }

        @Override
        public String lookupByAddress(byte[] addr) {
            return "known.test";
        }
    };

    private final InetAddressResolver resolver = new TracingResolver(SLOW_BUILTIN);

    @Test
    void timesALookupMadeForACheck() throws Exception {
        Trace trace = new Trace();
        trace.begin();
        List<InetAddress> found = ScopedValue.where(Trace.CURRENT, trace).call(
                () -> resolver.lookupByName("known.test", InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4)).toList());
        assertEquals(List.of(InetAddress.getLoopbackAddress()), found);
        assertEquals(List.of(Trace.DNS_START, Trace.DNS_DONE), List.copyOf(trace.sinceStart().keySet()));
        long lookupMillis = trace.sinceStart().get(Trace.DNS_DONE).minus(trace.sinceStart().get(Trace.DNS_START)).toMillis();
        assertTrue(lookupMillis >= 50 && lookupMillis < 500, "lookup took " + lookupMillis + " ms");
    }

    @Test
    void aFailedLookupStillEnds() {
        Trace trace = new Trace();
        assertThrows(UnknownHostException.class, () -> ScopedValue.where(Trace.CURRENT, trace).call(
                () -> resolver.lookupByName("unknown.test", InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4))));
        assertEquals(List.of(Trace.DNS_START, Trace.DNS_DONE), List.copyOf(trace.sinceStart().keySet()));
    }

    @Test
    void lookupsOfOthersAreNotTraced() throws Exception {
        assertEquals(1, resolver.lookupByName("known.test", InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4)).count());
    }
}
