package kubenurse.checks.internal.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kubenurse.config.ProxySettings;

/**
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY with the rules of Go's golang.org/x/net/http/httpproxy, which the Go
 * kubenurse follows: the scheme of the target picks the proxy; localhost and loopback addresses are never
 * proxied; a NO_PROXY entry is "*", an IP, a CIDR, or a host name that also matches its subdomains
 * (a leading dot matches subdomains only), each optionally with ":port".
 */
public final class GoProxySelector extends ProxySelector {

    private final ProxySettings settings;

    public GoProxySelector(ProxySettings settings) {
        this.settings = settings;
    }

    @Override
    public List<Proxy> select(URI uri) {
        Optional<URI> proxy = "https".equalsIgnoreCase(uri.getScheme()) ? settings.httpsProxy() : settings.httpProxy();
        if (proxy.isEmpty() || !useProxy(uri)) {
            return List.of(Proxy.NO_PROXY);
        }
        URI p = proxy.get();
        int port = p.getPort() > 0 ? p.getPort() : 80;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // nothing to learn: the check reports the failure
    }

    boolean useProxy(URI uri) {
        String host = stripBrackets(uri.getHost().toLowerCase(Locale.ROOT));
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        if (host.equals("localhost") || isLoopback(host)) {
            return false;
        }
        for (String entry : settings.noProxy()) {
            if (entry.equals("*")) {
                return false;
            }
            if (matches(entry, host, port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(String entry, String host, int port) {
        if (entry.contains("/")) {
            return inCidr(entry, host);
        }
        String entryHost = entry;
        int entryPort = -1;
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).matches("[0-9]+")) {
            entryHost = entry.substring(0, colon);
            entryPort = Integer.parseInt(entry.substring(colon + 1));
        }
        entryHost = stripBrackets(entryHost);
        if (entryPort > 0 && entryPort != port) {
            return false;
        }
        if (entryHost.startsWith(".")) {
            return host.endsWith(entryHost);
        }
        if (entryHost.startsWith("*.")) {
            return host.endsWith(entryHost.substring(1));
        }
        return host.equals(entryHost) || host.endsWith("." + entryHost);
    }

    private static boolean inCidr(String cidr, String host) {
        if (!isIpLiteral(host)) {
            return false;
        }
        try {
            String[] parts = cidr.split("/", 2);
            byte[] network = InetAddress.ofLiteral(stripBrackets(parts[0])).getAddress();
            byte[] address = InetAddress.ofLiteral(host).getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (network.length != address.length || bits < 0 || bits > network.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException notACidr) {
            return false;
        }
    }

    private static boolean isLoopback(String host) {
        return isIpLiteral(host) && InetAddress.ofLiteral(host).isLoopbackAddress();
    }

    private static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException notAnIp) {
            return false;
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
