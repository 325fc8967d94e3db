package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlHostTest {

    @Test
    void bracketsIpv6AddressesOnly() {
        assertEquals("[fd00::1]", UrlHost.of("fd00::1"));
        assertEquals("[::1]", UrlHost.of("::1"));
        assertEquals("10.96.0.1", UrlHost.of("10.96.0.1"));
        assertEquals("kubernetes.default.svc", UrlHost.of("kubernetes.default.svc"));
    }

    @Test
    void theResultParsesAsTheUrlsHost() {
        URI url = URI.create("https://" + UrlHost.of("fd00::a") + ":6443/version");
        assertEquals("[fd00::a]", url.getHost());
        assertEquals(6443, url.getPort());
    }

    /** As Go's net.JoinHostPort: a bracketed value is not an address, and must not pass as one. */
    @Test
    void bracketsAnAlreadyBracketedValueAgain() {
        assertEquals("[[fd00::1]]", UrlHost.of("[fd00::1]"));
    }
}
