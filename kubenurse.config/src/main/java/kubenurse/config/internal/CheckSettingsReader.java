package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kubenurse.config.CheckSettings;
import kubenurse.config.TrustSources;

/** Reads what is checked, how often, how outgoing TLS is trusted and how latencies are bucketed. */
final class CheckSettingsReader {

    static final String SSL_CERT_FILE = "SSL_CERT_FILE";
    static final String SSL_CERT_DIR = "SSL_CERT_DIR";
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    static final List<Double> DEFAULT_BUCKETS = List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0);

    /** Plain decimal numbers: Double.parseDouble alone would take "Infinity", "NaN", "1d" and hex too. */
    private static final Pattern NUMBER = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private CheckSettingsReader() {
    }

    static CheckSettings read(Variables env) {
        return new CheckSettings(
                env.duration(PREFIX + "CHECK_INTERVAL", DEFAULT_CHECK_INTERVAL, true),
                env.bool(PREFIX + "CHECK_API_SERVER_DIRECT", true),
                env.bool(PREFIX + "CHECK_API_SERVER_DNS", true),
                env.bool(PREFIX + "CHECK_ME_INGRESS", true),
                env.bool(PREFIX + "CHECK_ME_SERVICE", true),
                env.bool(PREFIX + "CHECK_NEIGHBOURHOOD", true),
                env.httpUrl(PREFIX + "INGRESS_URL"),
                env.httpUrl(PREFIX + "SERVICE_URL"),
                ExtraChecksReader.read(env),
                env.bool(PREFIX + "INSECURE", false),
                env.bool(PREFIX + "REUSE_CONNECTIONS", false),
                env.pemFile(PREFIX + "EXTRA_CA", PemCheck.CERTIFICATES),
                buckets(env),
                systemTrust(env));
    }

    /** Go's names and meaning: each variable, when set, replaces its own list of defaults, not the other. */
    static TrustSources systemTrust(Variables env) {
        List<Path> files = env.pemFile(SSL_CERT_FILE, PemCheck.CA_BUNDLE).map(List::of)
                .orElse(TrustSources.DEFAULT_BUNDLE_FILES);
        // ':' separates, as OpenSSL and Go split it; empty entries name no directory
        List<Path> directories = env.text(SSL_CERT_DIR)
                .map(dirs -> Arrays.stream(dirs.split(":")).filter(dir -> !dir.isEmpty()).map(Path::of).toList())
                .orElse(TrustSources.DEFAULT_DIRECTORIES);
        return new TrustSources(files, directories);
    }

    private static List<Double> buckets(Variables env) {
        String name = PREFIX + "HISTOGRAM_BUCKETS";
        Optional<String> raw = env.text(name);
        if (raw.isEmpty()) {
            return DEFAULT_BUCKETS;
        }
        List<Double> buckets = new ArrayList<>();
        for (String part : raw.get().split(",", -1)) {
            String number = part.strip();
            double bucket = NUMBER.matcher(number).matches() ? Double.parseDouble(number) : Double.NaN;
            if (!(bucket > 0) || Double.isInfinite(bucket) || (!buckets.isEmpty() && bucket <= buckets.getLast())) {
                env.problem(name, raw.get(), "comma-separated positive numbers of seconds in strictly increasing "
                        + "order, such as .005,.01,.025,.05,.1,.25,.5,1,2.5,5,10");
                return DEFAULT_BUCKETS;
            }
            buckets.add(bucket);
        }
        return buckets;
    }
}
