package kubenurse.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Proxies for outgoing checks, read as Go reads them (upper case first, then lower case).
 *
 * @param httpProxy  HTTP_PROXY, used for http:// URLs
 * @param httpsProxy HTTPS_PROXY, used for https:// URLs
 * @param noProxy    NO_PROXY entries: host names, domain suffixes, IPs, CIDRs, optionally with :port; "*" for all
 */
public record ProxySettings(Optional<URI> httpProxy, Optional<URI> httpsProxy, List<String> noProxy) {

    public ProxySettings {
        noProxy = List.copyOf(noProxy);
    }

    /** No proxy configured at all. */
    public static ProxySettings none() {
        return new ProxySettings(Optional.empty(), Optional.empty(), List.of());
    }
}
