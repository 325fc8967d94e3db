package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kubenurse.config.CheckSettings;
import kubenurse.config.ExtraCheck;

/**
 * Reads KUBENURSE_EXTRA_CHECKS, {@code name:url|name:url}: one problem per bad entry, and the good
 * entries kept, since each name becomes a metric label next to the built-in types.
 */
final class ExtraChecksReader {

    static final String NAME = PREFIX + "EXTRA_CHECKS";

    private static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

    private ExtraChecksReader() {
    }

    static List<ExtraCheck> read(Variables env) {
        Optional<String> raw = env.text(NAME);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<ExtraCheck> checks = new ArrayList<>();
        for (String entry : raw.get().split("\\|", -1)) {
            add(entry, checks).ifPresent(expected -> env.urlProblem(NAME, raw.get(), expected));
        }
        return checks;
    }

    /** Adds the entry to {@code checks} when it is good; else says what was expected instead. */
    private static Optional<String> add(String entry, List<ExtraCheck> checks) {
        int colon = entry.indexOf(':');
        String name = colon < 0 ? entry : entry.substring(0, colon);
        if (colon <= 0) {
            return Optional.of("entries name:url separated by |, such as "
                    + "google:https://www.google.com|dns:http://10.0.0.10:9153/metrics");
        }
        if (!CHECK_NAME.matcher(name).matches() || name.length() > 63) {
            return Optional.of("check name '" + name
                    + "' to be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric");
        }
        if (CheckSettings.BUILT_IN_TYPES.contains(name) || name.startsWith(CheckSettings.NEIGHBOUR_TYPE_PREFIX)) {
            return Optional.of("check name '" + name + "' not to be a built-in type ("
                    + String.join(", ", CheckSettings.BUILT_IN_TYPES) + ", " + CheckSettings.NEIGHBOUR_TYPE_PREFIX + "*)");
        }
        if (checks.stream().anyMatch(c -> c.name().equals(name))) {
            return Optional.of("check name '" + name + "' to be unique");
        }
        Optional<URI> url = Variables.parseHttpUrl(entry.substring(colon + 1));
        if (url.isEmpty()) {
            return Optional.of("check '" + name + "' to have an absolute http:// or https:// URL with a host");
        }
        checks.add(new ExtraCheck(name, url.get()));
        return Optional.empty();
    }
}
