package kubenurse.discovery.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kubenurse.config.Config;
import kubenurse.testing.Eventually;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

/**
 * What discovery tests share: a stub API server over real TLS, signed by a throwaway CA, and a service
 * account directory (token {@code token-1}, {@code ca.crt}) that trusts it; {@link #discover} starts discovery
 * against them as pod-a, watching the kubenurse pods of kube-system. Closing stops both.
 */
final class StubClusterAccess implements AutoCloseable {

    /** The CA and the API server's certificate: made once per test class, as openssl takes a while. */
    record Certificates(TestCertificates.Pair ca, TestCertificates.Pair apiServer) {

        static Certificates in(Path dir) throws Exception {
            TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
            return new Certificates(ca, TestCertificates.signedBy(ca, dir, "apiserver", "IP:127.0.0.1,DNS:localhost"));
        }
    }

    private final StubApiServer api;
    private final Path serviceAccount;
    private KubernetesDiscovery discovery;

    private StubClusterAccess(StubApiServer api, Path serviceAccount) {
        this.api = api;
        this.serviceAccount = serviceAccount;
    }

    static StubClusterAccess start(Certificates certificates, Path dir) throws Exception {
        StubApiServer api = StubApiServer.start(TestCertificates.serverContext(certificates.apiServer()));
        Path serviceAccount = Files.createTempDirectory(dir, "sa");
        Files.copy(certificates.ca().cert(), serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "token-1");
        return new StubClusterAccess(api, serviceAccount);
    }

    StubApiServer api() {
        return api;
    }

    void rotateToken(String token) throws IOException {
        Files.writeString(serviceAccount.resolve("token"), token);
    }

    /** Starts discovery (closed with this), with {@code extra} over the default environment. */
    KubernetesDiscovery discover(Map<String, String> extra, WatchSettings settings, Duration gather) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", String.valueOf(api.port()),
                "KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString(),
                "KUBENURSE_NAMESPACE", "kube-system",
                "KUBENURSE_NEIGHBOUR_FILTER", "app.kubernetes.io/name=kubenurse",
                "KUBENURSE_POD_NAME", "pod-a"));
        env.putAll(extra);
        discovery = KubernetesDiscovery.start(Config.fromEnvironment(env, "host"), settings, gather);
        return discovery;
    }

    /** {@link Eventually} with the deadline these tests share. */
    static void waitFor(String what, BooleanSupplier condition) {
        Eventually.within(Duration.ofSeconds(10), what, condition::getAsBoolean, Boolean::booleanValue);
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        api.close();
    }
}
