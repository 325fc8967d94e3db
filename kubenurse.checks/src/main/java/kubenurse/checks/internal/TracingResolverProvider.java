package kubenurse.checks.internal;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/** Installs {@link TracingResolver} around the JDK's own resolver (JEP 418), for the whole process. */
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
