package kubenurse.checks.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.stream.Stream;

/**
 * The JDK's own resolver, timed: a lookup made for a check's request marks dns_start and dns_done on that
 * request's {@link Trace}. Lookups of anyone else pass straight through.
 */
final class TracingResolver implements InetAddressResolver {

    private final InetAddressResolver builtin;

    TracingResolver(InetAddressResolver builtin) {
        this.builtin = builtin;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        Trace trace = Trace.CURRENT.isBound() ? Trace.CURRENT.get() : null;
        if (trace == null) {
            return builtin.lookupByName(host, policy);
        }
        trace.mark(Trace.DNS_START);
        try {
            // collect now, so that the lookup, not a lazy stream, is what is timed
            return builtin.lookupByName(host, policy).toList().stream();
        } finally {
            trace.mark(Trace.DNS_DONE);
        }
    }

    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return builtin.lookupByAddress(addr);
    }
}
