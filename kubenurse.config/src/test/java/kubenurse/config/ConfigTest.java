package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import kubenurse.testing.TestCertificates;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every variable of the README's configuration table with good and bad values. */
class ConfigTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair rsa;
    static TestCertificates.Pair ec;
    static Path pkcs1Key;
    static Path notPem;

    @BeforeAll
    static void certificates() throws Exception {
        rsa = TestCertificates.selfSignedRsa(dir, "rsa");
        ec = TestCertificates.selfSignedEc(dir, "ec");
        pkcs1Key = TestCertificates.toPkcs1(rsa.key(), dir.resolve("rsa1.key"));
        notPem = Files.writeString(dir.resolve("not.pem"), "just text\n");
    }

    private static Config read(Map<String, String> env) {
        return Config.fromEnvironment(env, "node-1-host");
    }

    @Test
    void defaultsMatchTheCompatibilityContract() {
        Config config = read(Map.of());
        assertTrue(config.localMode());
        assertEquals(8080, config.server().httpPort());
        assertEquals(8443, config.server().httpsPort());
        assertFalse(config.server().useTls());
        assertEquals(Duration.ofSeconds(5), config.server().shutdownDuration());
        assertEquals(Duration.ofSeconds(5), config.checks().interval());
        assertTrue(config.checks().apiServerDirect() && config.checks().apiServerDns() && config.checks().meIngress()
                && config.checks().meService() && config.checks().neighbourhood());
        assertEquals(Optional.empty(), config.checks().ingressUrl());
        assertEquals(List.of(), config.checks().extraChecks());
        assertFalse(config.checks().insecure());
        assertFalse(config.checks().reuseConnections());
        assertEquals(List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0), config.checks().histogramBuckets());
        assertEquals("kubernetes.default.svc.cluster.local", config.apiServer().dnsName());
        assertEquals(443, config.apiServer().port());
        assertEquals(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"), config.apiServer().tokenFile());
        assertEquals("", config.neighbours().namespace());
        assertEquals("", config.neighbours().filter());
        assertEquals(10, config.neighbours().limit());
        assertFalse(config.neighbours().allowUnschedulable());
        assertEquals("node-1-host", config.identity().podName());
        assertEquals(Optional.empty(), config.identity().nodeName());
        assertEquals(LogLevel.INFO, config.logLevel());
        assertEquals(ProxySettings.none(), config.proxy());
        assertEquals(new UdpSettings(true, 8080, 20), config.udp());
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                good("KUBERNETES_SERVICE_HOST", "10.96.0.1", c -> c.apiServer().host().orElseThrow(), "10.96.0.1"),
                good("KUBERNETES_SERVICE_HOST", "fd00::1", c -> c.apiServer().host().orElseThrow(), "fd00::1"),
                good("KUBERNETES_SERVICE_PORT", "6443", c -> c.apiServer().port(), 6443),
                good("KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org", c -> c.apiServer().dnsName(), "kubernetes.default.svc.example.org"),
                good("KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes.default.svc", c -> c.apiServer().dnsName(), "kubernetes.default.svc"),
                good("KUBENURSE_INGRESS_URL", "https://kubenurse.example.com", c -> c.checks().ingressUrl().orElseThrow(), URI.create("https://kubenurse.example.com")),
                good("KUBENURSE_SERVICE_URL", "http://kubenurse.kube-system.svc:8080/", c -> c.checks().serviceUrl().orElseThrow(), URI.create("http://kubenurse.kube-system.svc:8080/")),
                good("KUBENURSE_NAMESPACE", "kube-system", c -> c.neighbours().namespace(), "kube-system"),
                good("KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse", c -> c.neighbours().filter(), "app.kubernetes.io/name=kubenurse"),
                good("KUBENURSE_NEIGHBOUR_FILTER", "app in (a, b),!canary,tier!=db", c -> c.neighbours().filter(), "app in (a, b),!canary,tier!=db"),
                good("KUBENURSE_NEIGHBOUR_LIMIT", "0", c -> c.neighbours().limit(), 0),
                good("KUBENURSE_NEIGHBOUR_LIMIT", "25", c -> c.neighbours().limit(), 25),
                good("KUBENURSE_ALLOW_UNSCHEDULABLE", "TRUE", c -> c.neighbours().allowUnschedulable(), true),
                good("KUBENURSE_CHECK_API_SERVER_DIRECT", "False", c -> c.checks().apiServerDirect(), false),
                good("KUBENURSE_CHECK_API_SERVER_DNS", "false", c -> c.checks().apiServerDns(), false),
                good("KUBENURSE_CHECK_ME_INGRESS", "FALSE", c -> c.checks().meIngress(), false),
                good("KUBENURSE_CHECK_ME_SERVICE", "false", c -> c.checks().meService(), false),
                good("KUBENURSE_CHECK_NEIGHBOURHOOD", "false", c -> c.checks().neighbourhood(), false),
                good("KUBENURSE_CHECK_INTERVAL", "1m30s", c -> c.checks().interval(), Duration.ofSeconds(90)),
                good("KUBENURSE_CHECK_INTERVAL", "300ms", c -> c.checks().interval(), Duration.ofMillis(300)),
                good("KUBENURSE_SHUTDOWN_DURATION", "0", c -> c.server().shutdownDuration(), Duration.ZERO),
                good("KUBENURSE_EXTRA_CHECKS", "google:https://www.google.com|dns:http://10.0.0.10:9153/metrics",
                        c -> c.checks().extraChecks(), List.of(
                                new ExtraCheck("google", URI.create("https://www.google.com")),
                                new ExtraCheck("dns", URI.create("http://10.0.0.10:9153/metrics")))),
                good("KUBENURSE_INSECURE", "true", c -> c.checks().insecure(), true),
                good("KUBENURSE_REUSE_CONNECTIONS", "true", c -> c.checks().reuseConnections(), true),
                good("KUBENURSE_HISTOGRAM_BUCKETS", "0.001, .01,1,10", c -> c.checks().histogramBuckets(), List.of(.001, .01, 1.0, 10.0)),
                good("KUBENURSE_EXPOSE_METADATA", "true", Config::exposeMetadata, true),
                good("KUBENURSE_VICTORIAMETRICS_HISTOGRAM", "true", Config::victoriaMetricsHistogram, true),
                good("HTTP_PROXY", "proxy.example.com:3128", c -> c.proxy().httpProxy().orElseThrow(), URI.create("http://proxy.example.com:3128")),
                good("https_proxy", "http://proxy:3128", c -> c.proxy().httpsProxy().orElseThrow(), URI.create("http://proxy:3128")),
                good("NO_PROXY", ".svc, 10.0.0.0/8,Localhost", c -> c.proxy().noProxy(), List.of(".svc", "10.0.0.0/8", "localhost")),
                good("KUBENURSE_HTTP_PORT", "18080", c -> c.server().httpPort(), 18080),
                good("KUBENURSE_HTTPS_PORT", "65535", c -> c.server().httpsPort(), 65535),
                good("KUBENURSE_POD_NAME", "kubenurse-abcde", c -> c.identity().podName(), "kubenurse-abcde"),
                good("KUBENURSE_NODE_NAME", "worker-1", c -> c.identity().nodeName().orElseThrow(), "worker-1"),
                good("KUBENURSE_SERVICEACCOUNT_DIR", "/tmp/sa", c -> c.apiServer().caFile(), Path.of("/tmp/sa/ca.crt")),
                good("KUBENURSE_LOG_LEVEL", "DEBUG", Config::logLevel, LogLevel.DEBUG),
                good("KUBENURSE_CHECK_UDP", "False", c -> c.udp().enabled(), false),
                good("KUBENURSE_UDP_PORT", "9999", c -> c.udp().port(), 9999),
                good("KUBENURSE_UDP_PROBES", "1", c -> c.udp().probes(), 1),
                good("KUBENURSE_UDP_PROBES", "1000", c -> c.udp().probes(), 1000),
                good("KUBENURSE_CHECK_INTERVAL", "", c -> c.checks().interval(), Duration.ofSeconds(5)));
    }

    private static Arguments good(String variable, String value, Function<Config, Object> field, Object expected) {
        return Arguments.of(variable, value, field, expected);
    }

    @ParameterizedTest(name = "{0}=\"{1}\"")
    @MethodSource("goodValues")
    void acceptsGoodValue(String variable, String value, Function<Config, Object> field, Object expected) {
        assertEquals(expected, field.apply(read(Map.of(variable, value))));
    }

    @Test
    void acceptsTlsWithEveryKeyEncoding() {
        for (Path key : List.of(rsa.key(), pkcs1Key)) {
            Config config = read(Map.of("KUBENURSE_USE_TLS", "true",
                    "KUBENURSE_CERT_FILE", rsa.cert().toString(), "KUBENURSE_CERT_KEY", key.toString()));
            assertEquals(Optional.of(key), config.server().certKey());
        }
        Config config = read(Map.of("KUBENURSE_USE_TLS", "true",
                "KUBENURSE_CERT_FILE", ec.cert().toString(), "KUBENURSE_CERT_KEY", ec.key().toString(),
                "KUBENURSE_EXTRA_CA", ec.cert().toString()));
        assertTrue(config.server().useTls());
        assertEquals(Optional.of(ec.cert()), config.checks().extraCa());
    }

    /** variable, value, words the one problem line must contain. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("KUBENURSE_CHECK_INTERVAL", "5x", "expected a positive duration such as 300ms, 5s, 1m30s"),
                bad("KUBENURSE_CHECK_INTERVAL", "5", "duration"),
                bad("KUBENURSE_CHECK_INTERVAL", "0s", "positive duration"),
                bad("KUBENURSE_CHECK_INTERVAL", "-1s", "positive duration"),
                bad("KUBENURSE_SHUTDOWN_DURATION", "soon", "non-negative duration"),
                bad("KUBENURSE_SHUTDOWN_DURATION", "-5s", "non-negative duration"),
                bad("KUBENURSE_CHECK_API_SERVER_DIRECT", "yes", "true or false"),
                bad("KUBENURSE_CHECK_API_SERVER_DNS", "1", "true or false"),
                bad("KUBENURSE_CHECK_ME_INGRESS", "off", "true or false"),
                bad("KUBENURSE_CHECK_ME_SERVICE", "tru", "true or false"),
                bad("KUBENURSE_CHECK_NEIGHBOURHOOD", " true", "true or false"),
                bad("KUBENURSE_ALLOW_UNSCHEDULABLE", "0", "true or false"),
                bad("KUBENURSE_INSECURE", "y", "true or false"),
                bad("KUBENURSE_REUSE_CONNECTIONS", "enabled", "true or false"),
                bad("KUBENURSE_USE_TLS", "on", "true or false"),
                bad("KUBENURSE_EXPOSE_METADATA", "2", "true or false"),
                bad("KUBENURSE_VICTORIAMETRICS_HISTOGRAM", "t", "true or false"),
                bad("KUBENURSE_INGRESS_URL", "kubenurse.example.com", "absolute http:// or https:// URL"),
                bad("KUBENURSE_INGRESS_URL", "ftp://kubenurse.example.com", "absolute http:// or https:// URL"),
                bad("KUBENURSE_SERVICE_URL", "http://", "absolute http:// or https:// URL"),
                bad("KUBENURSE_SERVICE_URL", "http://bad host:8080", "absolute http:// or https:// URL"),
                bad("KUBENURSE_EXTRA_CHECKS", "google", "entries name:url separated by |"),
                bad("KUBENURSE_EXTRA_CHECKS", ":http://x", "entries name:url separated by |"),
                bad("KUBENURSE_EXTRA_CHECKS", "a:http://x|", "entries name:url separated by |"),
                bad("KUBENURSE_EXTRA_CHECKS", "bad name:http://x", "check name 'bad name'"),
                bad("KUBENURSE_EXTRA_CHECKS", "a:http://x|a:http://y", "check name 'a' to be unique"),
                bad("KUBENURSE_EXTRA_CHECKS", "me_service:http://x", "not to be a built-in type"),
                bad("KUBENURSE_EXTRA_CHECKS", "path_node1:http://x", "not to be a built-in type"),
                bad("KUBENURSE_EXTRA_CHECKS", "web:www.example.com", "check 'web' to have an absolute http"),
                bad("KUBENURSE_HISTOGRAM_BUCKETS", "1,0.5", "strictly increasing"),
                bad("KUBENURSE_HISTOGRAM_BUCKETS", "0,1", "positive numbers"),
                bad("KUBENURSE_HISTOGRAM_BUCKETS", "0.1,,1", "comma-separated"),
                bad("KUBENURSE_HISTOGRAM_BUCKETS", "0.1,Infinity", "comma-separated"),
                bad("KUBENURSE_HISTOGRAM_BUCKETS", "0.1,1,1", "strictly increasing"),
                bad("KUBENURSE_NEIGHBOUR_LIMIT", "-1", "a whole number >= 0"),
                bad("KUBENURSE_NEIGHBOUR_LIMIT", "ten", "a whole number >= 0"),
                bad("KUBENURSE_HTTP_PORT", "0", "a port number from 1 to 65535"),
                bad("KUBENURSE_HTTP_PORT", "65536", "a port number from 1 to 65535"),
                bad("KUBENURSE_HTTPS_PORT", "https", "a port number from 1 to 65535"),
                bad("KUBERNETES_SERVICE_PORT", "99999", "a port number from 1 to 65535"),
                bad("KUBERNETES_SERVICE_HOST", "https://10.0.0.1", "an IPv4 address, an IPv6 address or a host name"),
                bad("KUBERNETES_SERVICE_DNS", "kubernetes..svc", "a DNS name"),
                bad("KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes..svc", "a DNS name"),
                bad("KUBENURSE_NAMESPACE", "Kube_System", "a namespace name"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app=a=b", "a Kubernetes label selector"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app==a b", "a Kubernetes label selector"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app in a,b", "expected '('"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app in (a", "expected ')'"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "-app=x", "label key '-app'"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app=kube nurse", "a Kubernetes label selector"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app>x", "not an integer"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "Example.COM/app=x", "not a DNS subdomain"),
                bad("KUBENURSE_NEIGHBOUR_FILTER", "app=" + "v".repeat(64), "label value"),
                bad("KUBENURSE_LOG_LEVEL", "verbose", "one of error, warn, info, debug"),
                bad("HTTP_PROXY", "socks5://proxy:1080", "an http:// proxy URL"),
                bad("https_proxy", "http://", "an http:// proxy URL"),
                bad("KUBENURSE_EXTRA_CA", "/nonexistent/ca.pem", "no such file"),
                bad("KUBENURSE_CERT_FILE", "/nonexistent/tls.crt", "no such file"),
                bad("KUBENURSE_CERT_KEY", "/nonexistent/tls.key", "no such file"),
                bad("KUBENURSE_USE_TLS", "true", "KUBENURSE_CERT_FILE and KUBENURSE_CERT_KEY to be set"),
                bad("KUBENURSE_CHECK_UDP", "yes", "true or false"),
                bad("KUBENURSE_UDP_PORT", "0", "a port number from 1 to 65535"),
                bad("KUBENURSE_UDP_PORT", "8080/udp", "a port number from 1 to 65535"),
                bad("KUBENURSE_UDP_PROBES", "0", "a whole number from 1 to 1000"),
                bad("KUBENURSE_UDP_PROBES", "1001", "a whole number from 1 to 1000"),
                bad("KUBENURSE_UDP_PROBES", "-5", "a whole number from 1 to 1000"));
    }

    private static Arguments bad(String variable, String value, String expectedWords) {
        return Arguments.of(variable, value, expectedWords);
    }

    @ParameterizedTest(name = "{0}=\"{1}\"")
    @MethodSource("badValues")
    void rejectsBadValueInOneClearLine(String variable, String value, String expectedWords) {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(variable, value)));
        assertEquals(1, e.problems().size(), e.problems().toString());
        String line = e.problems().getFirst();
        assertTrue(line.startsWith("config error: " + variable + "=\""), line);
        assertTrue(line.contains("\": expected "), line);
        if (expectedWords != null) {
            assertTrue(line.contains(expectedWords), line);
        }
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void rejectsFilesThatAreNotWhatTheVariableNeeds() {
        Map<String, String> env = new HashMap<>();
        env.put("KUBENURSE_EXTRA_CA", notPem.toString());
        env.put("KUBENURSE_CERT_FILE", rsa.key().toString());
        env.put("KUBENURSE_CERT_KEY", rsa.cert().toString());
        ConfigException e = assertThrows(ConfigException.class, () -> read(env));
        assertEquals(3, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("config error: KUBENURSE_CERT_FILE="), e.problems().toString());
        assertTrue(e.problems().get(1).startsWith("config error: KUBENURSE_CERT_KEY="), e.problems().toString());
        assertTrue(e.problems().get(2).contains("KUBENURSE_EXTRA_CA=\"" + notPem + "\": expected a readable PEM file"));
    }

    @Test
    void rejectsKeyOfAnotherCertificate() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                "KUBENURSE_CERT_FILE", rsa.cert().toString(), "KUBENURSE_CERT_KEY", ec.key().toString())));
        assertEquals(List.of("config error: KUBENURSE_CERT_KEY=\"" + ec.key()
                + "\": expected the private key of the certificate in KUBENURSE_CERT_FILE " + rsa.cert()), e.problems());
    }

    @Test
    void rejectsSamePortForHttpAndHttps() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("KUBENURSE_USE_TLS", "true",
                "KUBENURSE_CERT_FILE", rsa.cert().toString(), "KUBENURSE_CERT_KEY", rsa.key().toString(),
                "KUBENURSE_HTTPS_PORT", "8080")));
        assertEquals(List.of("config error: KUBENURSE_HTTPS_PORT=\"8080\": expected a port other than KUBENURSE_HTTP_PORT"),
                e.problems());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                "KUBENURSE_CHECK_INTERVAL", "5x",
                "KUBENURSE_INSECURE", "yes",
                "KUBENURSE_HTTP_PORT", "0",
                "KUBENURSE_NEIGHBOUR_LIMIT", "-3",
                "KUBENURSE_LOG_LEVEL", "loud")));
        assertEquals(5, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().contains(
                "config error: KUBENURSE_CHECK_INTERVAL=\"5x\": expected a positive duration such as 300ms, 5s, 1m30s "
                        + "(units ns, us, ms, s, m, h)"));
    }

    @Test
    void showsControlCharactersAndQuotesInValuesVisibly() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("KUBENURSE_INSECURE", "tr\"ue\n")));
        assertEquals("config error: KUBENURSE_INSECURE=\"tr\\\"ue\\n\": expected true or false", e.problems().getFirst());
    }

    @Test
    void neverRepeatsUserinfoOrQueryOfABadUrl() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                "KUBENURSE_INGRESS_URL", "ftp://user:pw-secret@host/x?token=secret",
                "KUBENURSE_EXTRA_CHECKS", "a:ftp://u:secret@h/|b:http://h/?t=secret",
                "HTTPS_PROXY", "https://u:secret@proxy:3128")));
        assertEquals(3, e.problems().size(), e.problems().toString());
        e.problems().forEach(problem -> assertFalse(problem.contains("secret"), problem));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(
                "config error: KUBENURSE_INGRESS_URL=\"ftp://<redacted>@host/x?<redacted>\"")), e.problems().toString());
    }

    @Test
    void apiServerDnsNameSetTwiceDifferentlyIsOneProblemNamingBoth() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                "KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org",
                "KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.cluster.local")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        String line = e.problems().getFirst();
        assertTrue(line.startsWith("config error: KUBERNETES_SERVICE_DNS=\"kubernetes.default.svc.example.org\": expected "), line);
        assertTrue(line.contains("KUBENURSE_KUBERNETES_SERVICE_DNS=\"kubernetes.default.svc.cluster.local\""), line);
    }

    @Test
    void upperCaseProxyVariableWinsAsInGo() {
        Config config = read(Map.of("HTTP_PROXY", "http://upper:1", "http_proxy", "http://lower:2"));
        assertEquals(URI.create("http://upper:1"), config.proxy().httpProxy().orElseThrow());
    }

    @Test
    void clusterModeWhenApiServerHostIsSet() {
        assertFalse(read(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")).localMode());
    }
}
