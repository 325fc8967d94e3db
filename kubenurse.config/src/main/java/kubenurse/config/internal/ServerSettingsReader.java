package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kubenurse.config.ServerSettings;

/** Reads the listeners, TLS files and shutdown period, and the rules between them. */
final class ServerSettingsReader {

    static final int DEFAULT_HTTP_PORT = 8080;
    static final int DEFAULT_HTTPS_PORT = 8443;
    static final Duration DEFAULT_SHUTDOWN_DURATION = Duration.ofSeconds(5);

    private ServerSettingsReader() {
    }

    static ServerSettings read(Variables env) {
        int httpPort = env.port(PREFIX + "HTTP_PORT", DEFAULT_HTTP_PORT);
        int httpsPort = env.port(PREFIX + "HTTPS_PORT", DEFAULT_HTTPS_PORT);
        boolean useTls = env.bool(PREFIX + "USE_TLS", false);
        Optional<Path> certFile = env.pemFile(PREFIX + "CERT_FILE", PemCheck.CERTIFICATES);
        Optional<Path> certKey = env.pemFile(PREFIX + "CERT_KEY", PemCheck.PRIVATE_KEY);
        if (useTls && (certFile.isEmpty() || certKey.isEmpty())) {
            env.problem(PREFIX + "USE_TLS", "true",
                    "KUBENURSE_CERT_FILE and KUBENURSE_CERT_KEY to be set as well (PEM certificate and key)");
        }
        if (useTls && httpPort == httpsPort) {
            env.problem(PREFIX + "HTTPS_PORT", String.valueOf(httpsPort), "a port other than KUBENURSE_HTTP_PORT");
        }
        if (certFile.isPresent() && certKey.isPresent()) {
            KeyPairCheck.problem(certFile.get(), certKey.get())
                    .ifPresent(why -> env.problem(PREFIX + "CERT_KEY", certKey.get().toString(), why));
        }
        Duration shutdown = env.duration(PREFIX + "SHUTDOWN_DURATION", DEFAULT_SHUTDOWN_DURATION, false);
        return new ServerSettings(httpPort, httpsPort, useTls, certFile, certKey, shutdown);
    }
}
