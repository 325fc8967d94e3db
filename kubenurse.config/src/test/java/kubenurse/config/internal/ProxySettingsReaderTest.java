package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubenurse.config.ProxySettings;
import org.junit.jupiter.api.Test;

class ProxySettingsReaderTest {

    @Test
    void lowerCaseVariablesCountWhenUpperCaseOnesAreUnset() {
        Variables env = new Variables(Map.of("http_proxy", "proxy:3128", "no_proxy", "A.svc,,10.0.0.0/8 "));
        ProxySettings proxy = ProxySettingsReader.read(env);
        assertEquals(Optional.of(URI.create("http://proxy:3128")), proxy.httpProxy());
        assertEquals(Optional.empty(), proxy.httpsProxy());
        assertEquals(List.of("a.svc", "10.0.0.0/8"), proxy.noProxy());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void aProblemNamesTheVariableThatWasRead() {
        Variables env = new Variables(Map.of("https_proxy", "socks5://u:pw@proxy:1080", "NO_PROXY", "x", "no_proxy", "y"));
        ProxySettings proxy = ProxySettingsReader.read(env);
        assertEquals(List.of("x"), proxy.noProxy());
        assertEquals(List.of("config error: https_proxy=\"socks5://<redacted>@proxy:1080\": expected an http:// proxy URL "
                + "such as http://proxy.example.com:3128 (java.net.http supports neither https:// nor socks5:// proxies)"),
                env.problems());
    }
}
