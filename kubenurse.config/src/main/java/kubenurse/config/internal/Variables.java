package kubenurse.config.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import kubenurse.config.GoDuration;
import kubenurse.config.LogValue;

/**
 * The environment read as typed values. A bad value yields the default and one problem line naming the
 * variable, the value and the accepted form, so that the section readers carry on and every problem is
 * reported at once.
 */
final class Variables {

    static final String PREFIX = "KUBENURSE_";

    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    Variables(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Set and non-empty: Kubernetes manifests often carry {@code value: ""} meaning "not set". */
    Optional<String> text(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = text(name);
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

    int port(String name, int defaultValue) {
        return wholeNumber(name, defaultValue, 1, 65535, "a port number from 1 to 65535");
    }

    int nonNegativeInt(String name, int defaultValue) {
        return wholeNumber(name, defaultValue, 0, Integer.MAX_VALUE, "a whole number >= 0 (0 means no limit)");
    }

    int wholeNumber(String name, int defaultValue, int min, int max, String expected) {
        Optional<String> raw = text(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        // digits only: Integer.parseInt would take "+5" and "٥" too
        int number = raw.get().matches("[0-9]{1,9}") ? Integer.parseInt(raw.get()) : -1;
        if (number < min || number > max) {
            problem(name, raw.get(), expected);
            return defaultValue;
        }
        return number;
    }

    Duration duration(String name, Duration defaultValue, boolean mustBePositive) {
        Optional<String> raw = text(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration duration = GoDuration.parse(raw.get());
            if (!duration.isNegative() && !(mustBePositive && duration.isZero())) {
                return duration;
            }
        } catch (IllegalArgumentException invalid) {
            // reported below, as a negative value is
        }
        problem(name, raw.get(), "a " + (mustBePositive ? "positive " : "non-negative ")
                + "duration such as 300ms, 5s, 1m30s (units ns, us, ms, s, m, h)");
        return defaultValue;
    }

    /** A constant of {@code type}, named in any case; the accepted form lists them in lower case. */
    <E extends Enum<E>> E oneOf(String name, Class<E> type, E defaultValue) {
        Optional<String> raw = text(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.get())) {
                return constant;
            }
        }
        problem(name, raw.get(), "one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        return defaultValue;
    }

    Optional<URI> httpUrl(String name) {
        Optional<String> raw = text(name);
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

    /** The path even when the file is unusable, so that later rules (the key pair check) still see it. */
    Optional<Path> pemFile(String name, PemCheck check) {
        Optional<String> raw = text(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw.get());
        check.problem(path).ifPresent(reason -> problem(name, raw.get(), check.expected() + " (" + reason + ")"));
        return Optional.of(path);
    }

    static Optional<URI> parseHttpUrl(String text) {
        return parseUrl(text).filter(u -> u.getScheme().equalsIgnoreCase("http")
                || u.getScheme().equalsIgnoreCase("https"));
    }

    /** An absolute URL with a host: {@code new URI} alone accepts "kubenurse.example.com" and "http://". */
    static Optional<URI> parseUrl(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException invalid) {
            return Optional.empty();
        }
    }

    void problem(String name, String value, String expected) {
        problems.add("config error: " + name + "=" + LogValue.quote(value) + ": expected " + expected);
    }

    /** As {@link #problem}, for values that hold URLs: their userinfo and query may be secrets, not repeated. */
    void urlProblem(String name, String value, String expected) {
        problem(name, Arrays.stream(value.split("\\|", -1)).map(LogValue::redactedUrl).collect(Collectors.joining("|")),
                expected);
    }

    /** Every problem so far, in the order found. */
    List<String> problems() {
        return List.copyOf(problems);
    }
}
