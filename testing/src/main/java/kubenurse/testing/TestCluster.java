package kubenurse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;

/**
 * The stub cluster every test, IT and benchmark sets up the same way, written once: a throwaway CA, the API
 * server's certificate signed by it, a serviceaccount directory (ca.crt, token, namespace) that trusts it, a
 * {@link StubApiServer} holding the nodes and pods asked for, and the environment that points kubenurse at it.
 * Built with {@link #builder()}; closing it stops the API server (the files stay in the directory given).
 */
public final class TestCluster implements AutoCloseable {

    public static final String NAMESPACE = "kube-system";
    public static final Map<String, String> KUBENURSE_LABELS = Map.of("app.kubernetes.io/name", "kubenurse");
    public static final String NEIGHBOUR_FILTER = "app.kubernetes.io/name=kubenurse";
    public static final String DEFAULT_TOKEN = "token";

    /** The CA and the API server's certificate; made once per test class where openssl's time matters. */
    public record Certificates(TestCertificates.Pair ca, TestCertificates.Pair apiServer) {

        /** For an API server on loopback, named localhost. */
        public static Certificates make(Path dir) throws IOException {
            return make(dir, InetAddress.getLoopbackAddress().getHostAddress(), null);
        }

        /** For an API server at {@code ip}, named localhost and {@code dnsName} (if not null). */
        public static Certificates make(Path dir, String ip, String dnsName) throws IOException {
            TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
            String names = "IP:" + ip + ",DNS:localhost" + (dnsName == null ? "" : ",DNS:" + dnsName);
            return new Certificates(ca, TestCertificates.signedBy(ca, dir, "apiserver", names));
        }

        public SSLContext serverContext() throws IOException {
            return TestCertificates.serverContext(apiServer);
        }
    }

    /** A pod as the kubelet reports it: Running, with these labels, Ready or not. */
    public record Pod(String name, String node, String ip, Map<String, String> labels, boolean ready) {

        public Pod {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(node, "node of pod " + name);
            Objects.requireNonNull(ip, "ip of pod " + name);
            labels = Map.copyOf(labels);
        }

        /** A ready kubenurse pod. */
        public Pod(String name, String node, String ip) {
            this(name, node, ip, KUBENURSE_LABELS, true);
        }
    }

    /** Node {@code i}'s name suffix: a, b, c, ... z, then 26, 27, ... */
    public static String letter(int i) {
        return i < 26 ? String.valueOf((char) ('a' + i)) : String.valueOf(i);
    }

    /** An address of 10.0.0.0/8 for pod {@code i}, as many as a benchmark's cluster needs. */
    public static String podIp10(int i) {
        return "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
    }

    /**
     * Writes a serviceaccount directory as the kubelet mounts it: {@code token}, and {@code ca.crt} if
     * {@code caCert} is not null; {@code namespace} too if not null.
     */
    public static Path serviceAccount(Path dir, Path caCert, String token, String namespace) throws IOException {
        Files.createDirectories(dir);
        if (caCert != null) {
            Files.copy(caCert, dir.resolve("ca.crt"));
        }
        Files.writeString(dir.resolve("token"), token);
        if (namespace != null) {
            Files.writeString(dir.resolve("namespace"), namespace);
        }
        return dir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the cluster is to be; {@link #start(Path)} makes it. */
    public static final class Builder {

        private InetSocketAddress apiAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private String serviceDns;
        private String token = DEFAULT_TOKEN;
        private boolean requireToken;
        private boolean namespaceFile;
        private Certificates certificates;
        private final List<String> nodes = new ArrayList<>();
        private final Set<String> cordoned = new HashSet<>();
        private final List<Pod> pods = new ArrayList<>();
        private Consumer<StubApiServer> beforeObjects = api -> { };
        private String[] apiNamedGroups = {};

        private Builder() {
        }

        /** Where the API server listens (default loopback, a free port): a bridge address for network namespaces. */
        public Builder apiAddress(InetSocketAddress address) {
            this.apiAddress = Objects.requireNonNull(address, "apiAddress");
            return this;
        }

        /**
         * The API server's DNS name: in its certificate, and set as KUBENURSE_KUBERNETES_SERVICE_DNS (without it,
         * kubenurse's default name is left as it is).
         */
        public Builder serviceDns(String name) {
            this.serviceDns = Objects.requireNonNull(name, "serviceDns");
            return this;
        }

        /** The serviceaccount token (default {@value #DEFAULT_TOKEN}). */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /** The API server answers 401 to requests without "Authorization: Bearer TOKEN". */
        public Builder requireToken() {
            this.requireToken = true;
            return this;
        }

        /** Writes the serviceaccount's namespace file ({@value #NAMESPACE}), as the kubelet does. */
        public Builder namespaceFile() {
            this.namespaceFile = true;
            return this;
        }

        /** Certificates made before (once per test class): none are made at start then. */
        public Builder certificates(Certificates certificates) {
            this.certificates = Objects.requireNonNull(certificates, "certificates");
            return this;
        }

        /** The only named groups the API server agrees on in a TLS handshake (default: the JDK's). */
        public Builder apiNamedGroups(String... groups) {
            this.apiNamedGroups = groups.clone();
            return this;
        }

        /** Runs on the API server before any node or pod is put, e.g. to pad the objects as real ones are. */
        public Builder beforeObjects(Consumer<StubApiServer> configure) {
            this.beforeObjects = Objects.requireNonNull(configure, "beforeObjects");
            return this;
        }

        public Builder withNodes(String... names) {
            nodes.addAll(List.of(names));
            return this;
        }

        /** These nodes, already named or to come, are unschedulable (kubectl cordon). */
        public Builder cordoned(String... names) {
            cordoned.addAll(List.of(names));
            return this;
        }

        /** A ready kubenurse pod. Its node is not added: {@link #withNodes} does that. */
        public Builder withPod(String name, String node, String ip) {
            return withPod(new Pod(name, node, ip));
        }

        public Builder withPod(String name, String node, String ip, Map<String, String> labels, boolean ready) {
            return withPod(new Pod(name, node, ip, labels, ready));
        }

        public Builder withPod(Pod pod) {
            pods.add(Objects.requireNonNull(pod, "pod"));
            return this;
        }

        /** {@code count} nodes, each with its kubenurse pod {@code pod.apply(i)} (whose node is added). */
        public Builder withPodsOnNodes(int count, IntFunction<Pod> pod) {
            if (count < 0) {
                throw new IllegalArgumentException("count must be 0 or more: " + count);
            }
            for (int i = 0; i < count; i++) {
                Pod made = pod.apply(i);
                nodes.add(made.node());
                pods.add(made);
            }
            return this;
        }

        /** pod-a on node-a, pod-b on node-b, ... for {@code count} nodes, pod {@code i} at {@code ip.apply(i)}. */
        public Builder withKubenurseNodes(int count, IntFunction<String> ip) {
            return withPodsOnNodes(count, i -> new Pod("pod-" + letter(i), "node-" + letter(i), ip.apply(i)));
        }

        /**
         * Makes what is missing (certificates in {@code dir}, the serviceaccount in {@code dir}/sa, or a new
         * directory sa... beside it if that is taken) and starts
         * the API server with the nodes and pods given.
         */
        public TestCluster start(Path dir) throws IOException {
            Files.createDirectories(dir);
            Certificates made = certificates != null ? certificates
                    : Certificates.make(dir, apiAddress.getAddress().getHostAddress(), serviceDns);
            // DIR/sa, where scripts look for it; a fresh one beside it when a cluster before this one took it
            Path account = Files.exists(dir.resolve("sa")) ? Files.createTempDirectory(dir, "sa") : dir.resolve("sa");
            Path serviceAccount = serviceAccount(account, made.ca().cert(), token, namespaceFile ? NAMESPACE : null);
            TestCluster cluster = new TestCluster(this, made, serviceAccount);
            cluster.startApi();
            return cluster;
        }
    }

    private final Builder spec;
    private final Certificates certificates;
    private final Path serviceAccount;
    private final SSLContext tls;
    private volatile StubApiServer api;
    private InetSocketAddress bound;

    private TestCluster(Builder spec, Certificates certificates, Path serviceAccount) throws IOException {
        this.spec = spec;
        this.certificates = certificates;
        this.serviceAccount = serviceAccount;
        this.tls = certificates.serverContext();
    }

    /**
     * Starts the API server again after {@link #stopApi()}, at the same address, empty: the test puts back
     * what a restarted API server would hold. Only the first start puts the builder's nodes and pods.
     */
    public synchronized StubApiServer startApi() throws IOException {
        if (api != null) {
            throw new IllegalStateException("the API server already runs on port " + api.port());
        }
        boolean first = bound == null;
        StubApiServer started = StubApiServer.start(tls, first ? spec.apiAddress : bound, spec.apiNamedGroups);
        if (spec.requireToken) {
            started.requireToken(spec.token);
        }
        if (first) {
            bound = new InetSocketAddress(spec.apiAddress.getAddress(), started.port());
            spec.beforeObjects.accept(started);
            for (String node : spec.nodes) {
                started.putNode(node, spec.cordoned.contains(node), false);
            }
            for (Pod pod : spec.pods) {
                started.putPod(NAMESPACE, pod.name(), pod.node(), pod.ip(), "Running", pod.labels(), false, pod.ready());
            }
        }
        api = started;
        return started;
    }

    /** Stops the API server, as when it goes away: connections are cut. */
    public synchronized void stopApi() {
        StubApiServer running = api;
        api = null;
        if (running != null) {
            running.close();
        }
    }

    /** The pods the cluster started with, as listed at its first start. */
    public List<Pod> pods() {
        return List.copyOf(spec.pods);
    }

    /** The API server running now. */
    public StubApiServer api() {
        StubApiServer running = api;
        if (running == null) {
            throw new IllegalStateException("the API server is stopped");
        }
        return running;
    }

    public String apiHost() {
        return bound.getAddress().getHostAddress();
    }

    public int apiPort() {
        return bound.getPort();
    }

    public Certificates certificates() {
        return certificates;
    }

    public Path caCert() {
        return certificates.ca().cert();
    }

    public Path serviceAccountDir() {
        return serviceAccount;
    }

    /** Writes a new token into the serviceaccount directory, as the kubelet rotates it. */
    public void rotateToken(String token) {
        try {
            // as the kubelet does: a new file swapped in whole, never one read half-written
            Path next = Files.writeString(serviceAccount.resolve("token.next"), token);
            Files.move(next, serviceAccount.resolve("token"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("rotate the token in " + serviceAccount, e);
        }
    }

    /**
     * The environment of kubenurse as {@code podName} on {@code nodeName} (KUBENURSE_NODE_NAME left out if null),
     * in the namespace {@value #NAMESPACE}, watching the kubenurse pods: a new map the caller may add to.
     */
    public Map<String, String> environmentFor(String podName, String nodeName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBERNETES_SERVICE_HOST", apiHost());
        env.put("KUBERNETES_SERVICE_PORT", String.valueOf(apiPort()));
        if (spec.serviceDns != null) {
            env.put("KUBENURSE_KUBERNETES_SERVICE_DNS", spec.serviceDns);
        }
        env.put("KUBENURSE_SERVICEACCOUNT_DIR", serviceAccount.toString());
        env.put("KUBENURSE_NAMESPACE", NAMESPACE);
        env.put("KUBENURSE_NEIGHBOUR_FILTER", NEIGHBOUR_FILTER);
        env.put("KUBENURSE_POD_NAME", podName);
        if (nodeName != null) {
            env.put("KUBENURSE_NODE_NAME", nodeName);
        }
        return env;
    }

    @Override
    public void close() {
        stopApi();
    }
}
