package kubenurse.config.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kubenurse.config.ProxySettings;

/** Reads the proxy variables as Go's http.ProxyFromEnvironment does: upper case first, then lower case. */
final class ProxySettingsReader {

    private ProxySettingsReader() {
    }

    static ProxySettings read(Variables env) {
        return new ProxySettings(proxyUrl(env, "HTTP_PROXY"), proxyUrl(env, "HTTPS_PROXY"), noProxy(env));
    }

    private static Optional<URI> proxyUrl(Variables env, String upperName) {
        String lowerName = upperName.toLowerCase(Locale.ROOT);
        String name = env.text(upperName).isPresent() ? upperName : lowerName;
        Optional<String> raw = env.text(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        // Go's http.ProxyFromEnvironment reads "proxy:3128" as http://proxy:3128
        String text = raw.get().contains("://") ? raw.get() : "http://" + raw.get();
        Optional<URI> url = Variables.parseUrl(text).filter(u -> u.getScheme().equalsIgnoreCase("http"));
        if (url.isEmpty()) {
            env.urlProblem(name, raw.get(), "an http:// proxy URL such as http://proxy.example.com:3128 "
                    + "(java.net.http supports neither https:// nor socks5:// proxies)");
        }
        return url;
    }

    private static List<String> noProxy(Variables env) {
        String raw = env.text("NO_PROXY").or(() -> env.text("no_proxy")).orElse("");
        return Arrays.stream(raw.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
