package kubenurse.checks.internal.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import kubenurse.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resolver on its own: the JVM picks its resolver once, at its first lookup, so a test JVM whose
 * harness looked up a name first never uses the provider. The linked image, where our module provides it,
 * is tested end to end in ImageIT (dns events in /metrics) and ChecksHardeningIT (a DNS server that never
 * answers).
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

    private final InetAddressResolver resolver = new TracingResolver(SLOW_BUILTIN, Duration.ofSeconds(6));

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
    void noAddressIsLookedUpByDnsToGiveItAName() throws Exception {
        // the builtin here would answer "known.test": refusing, not asking it, is what is tested
        UnknownHostException refused = assertThrows(UnknownHostException.class,
                () -> resolver.lookupByAddress(new byte[] {10, (byte) 213, 1, 11}));
        assertEquals("kubenurse makes no reverse lookups", refused.getMessage());
    }

    @Test
    void lookupsOfOthersAreNotTraced() throws Exception {
        assertEquals(1, resolver.lookupByName("known.test", InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4)).count());
    }

    /** A system resolver that never answers until released, as getaddrinfo with a DNS server that drops queries. */
    private static final class HungBuiltin implements InetAddressResolver {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger blocked = new AtomicInteger();

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            calls.incrementAndGet();
            blocked.incrementAndGet();
            try {
                release.await(); // uninterruptible in reality; here it only waits for the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                blocked.decrementAndGet();
            }
            return Stream.of(InetAddress.getLoopbackAddress());
        }

        @Override
        public String lookupByAddress(byte[] addr) {
            return "hung.test";
        }
    }

    private static final InetAddressResolver.LookupPolicy IPV4 =
            InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4);

    /** Looks {@code host} up, expecting a failure, for the request of {@code trace}; the time that took. */
    private static Duration lookUp(InetAddressResolver resolver, String host, Trace trace) {
        long started = System.nanoTime();
        assertThrows(UnknownHostException.class,
                () -> ScopedValue.where(Trace.CURRENT, trace).call(() -> resolver.lookupByName(host, IPV4)));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    @Timeout(10) // a lookup that waits for the system resolver would wait here for ever
    void aHungLookupEndsWhenTheRequestsTimeoutRunsOut() throws Exception {
        HungBuiltin hung = new HungBuiltin();
        InetAddressResolver bounded = new TracingResolver(hung, Duration.ofMillis(600));
        try {
            Trace trace = new Trace();
            trace.begin();
            Thread.sleep(200); // the request was already under way: only what is left of its timeout remains
            long millis = lookUp(bounded, "hung.test", trace).toMillis();
            assertTrue(millis >= 350 && millis < 550, "gave up after " + millis + " ms, expected ~400");
            assertEquals(List.of(Trace.DNS_START), List.copyOf(trace.sinceStart().keySet()),
                    "started and never finished");
            assertEquals("DNS lookup of hung.test timed out after 600ms", trace.unfinishedLookup());
        } finally {
            hung.release.countDown();
        }
    }

    @Test
    @Timeout(10)
    void aHungNameHoldsOneThreadAndHungLookupsAreBounded() throws Exception {
        HungBuiltin hung = new HungBuiltin();
        InetAddressResolver bounded = new TracingResolver(hung, Duration.ofMillis(100));
        try {
            for (int cycle = 0; cycle < 3; cycle++) {
                Trace trace = new Trace();
                trace.begin();
                lookUp(bounded, "hung.test", trace);
                assertEquals("DNS lookup of hung.test timed out after 100ms", trace.unfinishedLookup());
            }
            assertEquals(1, hung.calls.get(), "three checks of one hung name share its one lookup");

            for (int n = 1; n < TracingResolver.MAX_LOOKUPS; n++) {
                Trace trace = new Trace();
                trace.begin();
                lookUp(bounded, "hung-" + n + ".test", trace);
            }
            assertEquals(TracingResolver.MAX_LOOKUPS, hung.blocked.get());
            Trace refused = new Trace();
            refused.begin();
            lookUp(bounded, "one-more.test", refused);
            assertEquals("DNS lookup of one-more.test not started: " + TracingResolver.MAX_LOOKUPS
                    + " lookups still hang", refused.unfinishedLookup());
            assertEquals(TracingResolver.MAX_LOOKUPS, hung.calls.get(), "no thread beyond the bound");
        } finally {
            hung.release.countDown();
        }
        // once the resolver answers again, so do the checks' lookups
        waitForNoneBlocked(hung);
        Trace trace = new Trace();
        trace.begin();
        List<InetAddress> found = ScopedValue.where(Trace.CURRENT, trace)
                .call(() -> bounded.lookupByName("hung.test", IPV4).toList());
        assertEquals(List.of(InetAddress.getLoopbackAddress()), found);
        assertNull(trace.unfinishedLookup());
        assertEquals(List.of(Trace.DNS_START, Trace.DNS_DONE), List.copyOf(trace.sinceStart().keySet()));
    }

    private static void waitForNoneBlocked(HungBuiltin hung) {
        Eventually.within(Duration.ofSeconds(5), "lookups blocked in the hung resolver", hung.blocked::get, n -> n == 0);
    }
}
