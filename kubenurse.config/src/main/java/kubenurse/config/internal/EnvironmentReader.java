package kubenurse.config.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kubenurse.config.ApiServer;
import kubenurse.config.CheckSettings;
import kubenurse.config.Config;
import kubenurse.config.ConfigException;
import kubenurse.config.ExtraCheck;
import kubenurse.config.GoDuration;
import kubenurse.config.Identity;
import kubenurse.config.LogLevel;
import kubenurse.config.LogValue;
import kubenurse.config.NeighbourSettings;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServerSettings;

/**
 * Reads every variable of the compatibility contract (COMPAT.md), collecting all problems before failing
 * so that an operator fixes a manifest in one round, not one variable per restart.
 */
public final class EnvironmentReader {

    static final String PREFIX = "KUBENURSE_";
    static final int DEFAULT_HTTP_PORT = 8080;
    static final int DEFAULT_HTTPS_PORT = 8443;
    static final int DEFAULT_API_SERVER_PORT = 443;
    static final int DEFAULT_NEIGHBOUR_LIMIT = 10;
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_SHUTDOWN_DURATION = Duration.ofSeconds(5);
    static final String DEFAULT_API_SERVER_DNS = "kubernetes.default.svc.cluster.local";
    static final String DEFAULT_SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final List<Double> DEFAULT_BUCKETS = List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

    private static final Pattern NUMBER = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final List<String> BUILT_IN_TYPES =
            List.of("api_server_direct", "api_server_dns", "me_ingress", "me_service");

    private final Map<String, String> environment;
    private final String hostname;
    private final List<String> problems = new ArrayList<>();

    public EnvironmentReader(Map<String, String> environment, String hostname) {
        this.environment = Map.copyOf(environment);
        this.hostname = hostname;
    }

    /** @throws ConfigException with every problem found */
    public Config read() {
        ServerSettings server = server();
        CheckSettings checks = checks();
        ApiServer apiServer = apiServer();
        NeighbourSettings neighbours = new NeighbourSettings(
                namespace(),
                selector(PREFIX + "NEIGHBOUR_FILTER"),
                nonNegativeInt(PREFIX + "NEIGHBOUR_LIMIT", DEFAULT_NEIGHBOUR_LIMIT),
                bool(PREFIX + "ALLOW_UNSCHEDULABLE", false));
        ProxySettings proxy = new ProxySettings(
                proxyUrl("HTTP_PROXY"), proxyUrl("HTTPS_PROXY"), noProxy());
        Identity identity = new Identity(
                value(PREFIX + "POD_NAME").orElse(hostname),
                value(PREFIX + "NODE_NAME"));
        LogLevel logLevel = logLevel();
        boolean exposeMetadata = bool(PREFIX + "EXPOSE_METADATA", false);
        boolean victoriaMetricsHistogram = bool(PREFIX + "VICTORIAMETRICS_HISTOGRAM", false);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(server, checks, apiServer, neighbours, proxy, identity, logLevel,
                exposeMetadata, victoriaMetricsHistogram);
    }

    private ServerSettings server() {
        int httpPort = port(PREFIX + "HTTP_PORT", DEFAULT_HTTP_PORT);
        int httpsPort = port(PREFIX + "HTTPS_PORT", DEFAULT_HTTPS_PORT);
        boolean useTls = bool(PREFIX + "USE_TLS", false);
        Optional<Path> certFile = pemFile(PREFIX + "CERT_FILE", PemCheck.CERTIFICATES);
        Optional<Path> certKey = pemFile(PREFIX + "CERT_KEY", PemCheck.PRIVATE_KEY);
        if (useTls && (value(PREFIX + "CERT_FILE").isEmpty() || value(PREFIX + "CERT_KEY").isEmpty())) {
            problem(PREFIX + "USE_TLS", "true",
                    "KUBENURSE_CERT_FILE and KUBENURSE_CERT_KEY to be set as well (PEM certificate and key)");
        }
        if (useTls && httpPort == httpsPort) {
            problem(PREFIX + "HTTPS_PORT", String.valueOf(httpsPort), "a port other than KUBENURSE_HTTP_PORT");
        }
        if (certFile.isPresent() && certKey.isPresent()) {
            KeyPairCheck.problem(certFile.get(), certKey.get())
                    .ifPresent(why -> problem(PREFIX + "CERT_KEY", certKey.get().toString(), why));
        }
        Duration shutdown = duration(PREFIX + "SHUTDOWN_DURATION", DEFAULT_SHUTDOWN_DURATION, false);
        return new ServerSettings(httpPort, httpsPort, useTls, certFile, certKey, shutdown);
    }

    private CheckSettings checks() {
        return new CheckSettings(
                duration(PREFIX + "CHECK_INTERVAL", DEFAULT_CHECK_INTERVAL, true),
                bool(PREFIX + "CHECK_API_SERVER_DIRECT", true),
                bool(PREFIX + "CHECK_API_SERVER_DNS", true),
                bool(PREFIX + "CHECK_ME_INGRESS", true),
                bool(PREFIX + "CHECK_ME_SERVICE", true),
                bool(PREFIX + "CHECK_NEIGHBOURHOOD", true),
                httpUrl(PREFIX + "INGRESS_URL"),
                httpUrl(PREFIX + "SERVICE_URL"),
                extraChecks(),
                bool(PREFIX + "INSECURE", false),
                bool(PREFIX + "REUSE_CONNECTIONS", false),
                pemFile(PREFIX + "EXTRA_CA", PemCheck.CERTIFICATES),
                buckets());
    }

    private ApiServer apiServer() {
        Optional<String> host = value("KUBERNETES_SERVICE_HOST");
        host.filter(h -> !isHost(h)).ifPresent(h -> problem("KUBERNETES_SERVICE_HOST", h,
                "an IPv4 address, an IPv6 address or a host name"));
        int port = port("KUBERNETES_SERVICE_PORT", DEFAULT_API_SERVER_PORT);
        String dnsName = value(PREFIX + "KUBERNETES_SERVICE_DNS").orElse(DEFAULT_API_SERVER_DNS);
        if (!HOST_NAME.matcher(dnsName).matches()) {
            problem(PREFIX + "KUBERNETES_SERVICE_DNS", dnsName, "a DNS name such as " + DEFAULT_API_SERVER_DNS);
        }
        Path serviceAccountDir = Path.of(value(PREFIX + "SERVICEACCOUNT_DIR").orElse(DEFAULT_SERVICEACCOUNT_DIR));
        return new ApiServer(host.filter(EnvironmentReader::isHost), port, dnsName, serviceAccountDir);
    }

    private String namespace() {
        String name = PREFIX + "NAMESPACE";
        String namespace = value(name).orElse("");
        if (!namespace.isEmpty() && (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches())) {
            problem(name, namespace, "a namespace name (lower-case DNS label, at most 63 characters) or empty for all");
        }
        return namespace;
    }

    private String selector(String name) {
        String selector = value(name).orElse("");
        try {
            LabelSelectorSyntax.validate(selector);
        } catch (IllegalArgumentException invalid) {
            problem(name, selector, "a Kubernetes label selector such as app.kubernetes.io/name=kubenurse ("
                    + invalid.getMessage() + ")");
        }
        return selector;
    }

    private List<ExtraCheck> extraChecks() {
        String name = PREFIX + "EXTRA_CHECKS";
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<ExtraCheck> checks = new ArrayList<>();
        for (String entry : raw.get().split("\\|", -1)) {
            int colon = entry.indexOf(':');
            String checkName = colon < 0 ? entry : entry.substring(0, colon);
            String expected = null;
            if (colon <= 0) {
                expected = "entries name:url separated by |, such as google:https://www.google.com|dns:http://10.0.0.10:9153/metrics";
            } else if (!CHECK_NAME.matcher(checkName).matches() || checkName.length() > 63) {
                expected = "check name '" + checkName + "' to be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric";
            } else if (BUILT_IN_TYPES.contains(checkName) || checkName.startsWith("path_")) {
                expected = "check name '" + checkName + "' not to be a built-in type ("
                        + String.join(", ", BUILT_IN_TYPES) + ", path_*)";
            } else if (checks.stream().anyMatch(c -> c.name().equals(checkName))) {
                expected = "check name '" + checkName + "' to be unique";
            } else {
                Optional<URI> url = parseHttpUrl(entry.substring(colon + 1));
                if (url.isEmpty()) {
                    expected = "check '" + checkName + "' to have an absolute http:// or https:// URL with a host";
                } else {
                    checks.add(new ExtraCheck(checkName, url.get()));
                }
            }
            if (expected != null) {
                urlProblem(name, raw.get(), expected);
            }
        }
        return checks;
    }

    private List<Double> buckets() {
        String name = PREFIX + "HISTOGRAM_BUCKETS";
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return DEFAULT_BUCKETS;
        }
        List<Double> buckets = new ArrayList<>();
        for (String part : raw.get().split(",", -1)) {
            String number = part.strip();
            double bucket = NUMBER.matcher(number).matches() ? Double.parseDouble(number) : Double.NaN;
            if (!(bucket > 0) || Double.isInfinite(bucket) || (!buckets.isEmpty() && bucket <= buckets.getLast())) {
                problem(name, raw.get(), "comma-separated positive numbers of seconds in strictly increasing order, such as "
                        + ".005,.01,.025,.05,.1,.25,.5,1,2.5,5,10");
                return DEFAULT_BUCKETS;
            }
            buckets.add(bucket);
        }
        return buckets;
    }

    private Optional<URI> proxyUrl(String upperName) {
        String lowerName = upperName.toLowerCase(Locale.ROOT);
        String name = value(upperName).isPresent() ? upperName : lowerName;
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        // Go's http.ProxyFromEnvironment reads "proxy:3128" as http://proxy:3128
        String text = raw.get().contains("://") ? raw.get() : "http://" + raw.get();
        Optional<URI> url = parseUrl(text).filter(u -> u.getScheme().equalsIgnoreCase("http"));
        if (url.isEmpty()) {
            urlProblem(name, raw.get(), "an http:// proxy URL such as http://proxy.example.com:3128 "
                    + "(java.net.http supports neither https:// nor socks5:// proxies)");
        }
        return url;
    }

    private List<String> noProxy() {
        String raw = value("NO_PROXY").or(() -> value("no_proxy")).orElse("");
        return Arrays.stream(raw.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private LogLevel logLevel() {
        String name = PREFIX + "LOG_LEVEL";
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return LogLevel.INFO;
        }
        try {
            return LogLevel.valueOf(raw.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            problem(name, raw.get(), "one of error, warn, info, debug");
            return LogLevel.INFO;
        }
    }

    private boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (raw.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.get().equalsIgnoreCase("false")) {
            return false;
        }
        problem(name, raw.get(), "true or false");
        return defaultValue;
    }

    private Duration duration(String name, Duration defaultValue, boolean mustBePositive) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String expected = "a " + (mustBePositive ? "positive " : "non-negative ")
                + "duration such as 300ms, 5s, 1m30s (units ns, us, ms, s, m, h)";
        try {
            Duration duration = GoDuration.parse(raw.get());
            if (duration.isNegative() || (mustBePositive && duration.isZero())) {
                problem(name, raw.get(), expected);
                return defaultValue;
            }
            return duration;
        } catch (IllegalArgumentException invalid) {
            problem(name, raw.get(), expected);
            return defaultValue;
        }
    }

    private int port(String name, int defaultValue) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int port = parseInt(raw.get());
        if (port < 1 || port > 65535) {
            problem(name, raw.get(), "a port number from 1 to 65535");
            return defaultValue;
        }
        return port;
    }

    private int nonNegativeInt(String name, int defaultValue) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int number = parseInt(raw.get());
        if (number < 0) {
            problem(name, raw.get(), "a whole number >= 0 (0 means no limit)");
            return defaultValue;
        }
        return number;
    }

    private static int parseInt(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            return -1;
        }
        return Integer.parseInt(text);
    }

    private Optional<URI> httpUrl(String name) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> url = parseHttpUrl(raw.get());
        if (url.isEmpty()) {
            urlProblem(name, raw.get(), "an absolute http:// or https:// URL with a host, such as "
                    + "http://kubenurse.kube-system.svc.cluster.local:8080");
        }
        return url;
    }

    private static Optional<URI> parseHttpUrl(String text) {
        return parseUrl(text).filter(u -> u.getScheme().equalsIgnoreCase("http")
                || u.getScheme().equalsIgnoreCase("https"));
    }

    private static Optional<URI> parseUrl(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException invalid) {
            return Optional.empty();
        }
    }

    private Optional<Path> pemFile(String name, PemCheck check) {
        Optional<String> raw = value(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw.get());
        Optional<String> why = check.problem(path);
        why.ifPresent(reason -> problem(name, raw.get(), check.expected() + " (" + reason + ")"));
        return Optional.of(path);
    }

    private static boolean isHost(String host) {
        if (host.contains(":")) {
            return parseUrl("https://[" + host + "]/").isPresent();
        }
        return HOST_NAME.matcher(host).matches();
    }

    /** Set and non-empty: Kubernetes manifests often carry {@code value: ""} meaning "not set". */
    private Optional<String> value(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    private void problem(String name, String value, String expected) {
        problems.add("config error: " + name + "=" + LogValue.quote(value) + ": expected " + expected);
    }

    /** As {@link #problem}, for values that hold URLs: their userinfo and query may be secrets, not repeated. */
    private void urlProblem(String name, String value, String expected) {
        problem(name, Arrays.stream(value.split("\\|", -1)).map(LogValue::redactedUrl).collect(Collectors.joining("|")),
                expected);
    }
}
