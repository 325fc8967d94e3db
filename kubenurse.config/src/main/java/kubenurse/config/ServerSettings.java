package kubenurse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP(S) listeners and the shutdown grace period.
 *
 * @param httpPort         KUBENURSE_HTTP_PORT, plain HTTP, always served
 * @param httpsPort        KUBENURSE_HTTPS_PORT, served only when {@code useTls}
 * @param useTls           KUBENURSE_USE_TLS
 * @param certFile         KUBENURSE_CERT_FILE, PEM certificate chain (present when useTls)
 * @param certKey          KUBENURSE_CERT_KEY, PEM private key (present when useTls)
 * @param shutdownDuration KUBENURSE_SHUTDOWN_DURATION, how long to keep serving after SIGTERM
 */
public record ServerSettings(
        int httpPort,
        int httpsPort,
        boolean useTls,
        Optional<Path> certFile,
        Optional<Path> certKey,
        Duration shutdownDuration) {
}
