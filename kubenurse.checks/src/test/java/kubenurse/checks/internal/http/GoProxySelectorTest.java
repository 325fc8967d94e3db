package kubenurse.checks.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import kubenurse.config.ProxySettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoProxySelectorTest {

    private static final ProxySettings SETTINGS = new ProxySettings(
            Optional.of(URI.create("http://http-proxy:3128")), Optional.of(URI.create("http://https-proxy:3129")),
            List.of("example.com", ".svc", "10.0.0.0/8", "192.168.1.5", "api.test:8443", "fd00::/8"));

    @ParameterizedTest
    @CsvSource({
        "http://service.example.org/x, http-proxy:3128",
        "https://service.example.org/x, https-proxy:3129",
        "http://example.com/, DIRECT",
        "http://www.example.com/, DIRECT",
        "http://notexample.com/, http-proxy:3128",
        "http://kubenurse.kube-system.svc:8080/, DIRECT",
        "http://svc/, http-proxy:3128",
        "http://10.1.2.3:8080/, DIRECT",
        "http://11.1.2.3:8080/, http-proxy:3128",
        "http://192.168.1.5/, DIRECT",
        "http://192.168.1.6/, http-proxy:3128",
        "https://api.test:8443/, DIRECT",
        "https://api.test:443/, https-proxy:3129",
        "http://[fd00::1]:8080/, DIRECT",
        "http://localhost:8080/, DIRECT",
        "http://127.0.0.1:8080/, DIRECT",
        "http://[::1]:8080/, DIRECT",
    })
    void choosesLikeGo(String url, String expected) {
        List<Proxy> chosen = new GoProxySelector(SETTINGS).select(URI.create(url));
        String actual = chosen.getFirst().type() == Proxy.Type.DIRECT ? "DIRECT"
                : ((InetSocketAddress) chosen.getFirst().address()).getHostString() + ":"
                        + ((InetSocketAddress) chosen.getFirst().address()).getPort();
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource({"http://anything/", "https://10.0.0.1/"})
    void starMeansNoProxyAtAll(String url) {
        ProxySettings all = new ProxySettings(SETTINGS.httpProxy(), SETTINGS.httpsProxy(), List.of("*"));
        assertEquals(Proxy.Type.DIRECT, new GoProxySelector(all).select(URI.create(url)).getFirst().type());
    }
}
