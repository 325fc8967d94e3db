package kubenurse.config;

/**
 * A host as it goes into a URL's authority: an IPv6 address in brackets ({@code fd00::1} becomes
 * {@code [fd00::1]}), anything else as it is. The same rule as Go's net.JoinHostPort, so an address that
 * arrives bracketed already is bracketed again and fails to parse, as it would in Go.
 */
public final class UrlHost {

    private UrlHost() {
    }

    /** {@code [host]} when the host holds a colon (only IPv6 addresses do), else {@code host}. */
    public static String of(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
