package kubenurse.checks.internal.http;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import kubenurse.checks.internal.trace.TracingResolver;

/**
 * Installs {@link TracingResolver} around the JDK's own resolver (JEP 418), for the whole process. It sits here, not
 * in the trace package, because it bounds lookups by the checks' request timeout: the trace package stays free of
 * the checks.
 */
public final class TracingResolverProvider extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return new TracingResolver(configuration.builtinResolver(), CheckTransport.REQUEST_TIMEOUT);
    }

    @Override
    public String name() {
        return "kubenurse-tracing";
    }
}
