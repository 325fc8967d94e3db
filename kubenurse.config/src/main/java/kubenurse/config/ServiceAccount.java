package kubenurse.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import kubenurse.config.internal.ServiceAccountFiles;

/**
 * The pod's serviceaccount as kubenurse uses it towards the API server: the bearer token, re-read when the
 * kubelet rotates it, and the CAs that may sign the API server. The token is never logged and never part of
 * a message; {@code toString()} does not show it.
 */
public interface ServiceAccount {

    /** The serviceaccount of KUBENURSE_SERVICEACCOUNT_DIR, with KUBENURSE_EXTRA_CA. */
    static ServiceAccount of(Config config) {
        return of(config.apiServer(), config.checks().extraCa());
    }

    /**
     * @param apiServer where token and ca.crt are
     * @param extraCa   KUBENURSE_EXTRA_CA, also trusted for the API server (a cluster behind a re-signing proxy)
     */
    static ServiceAccount of(ApiServer apiServer, Optional<Path> extraCa) {
        return new ServiceAccountFiles(apiServer.tokenFile(), apiServer.caFile(), extraCa);
    }

    /**
     * The token as the file holds it now: read again whenever the file changed (the kubelet replaces it,
     * hourly for bound tokens); empty when there is no readable, non-blank token.
     */
    Optional<String> token();

    /** Forgets the token read last, e.g. after a 401, so that the next {@link #token()} reads the file. */
    void reloadToken();

    /**
     * The CAs that may sign the API server: the serviceaccount's ca.crt when it is readable (outside a cluster
     * it is not), plus KUBENURSE_EXTRA_CA. Read on every call; callers build their TLS trust from it once.
     */
    List<X509Certificate> apiServerCas() throws IOException, CertificateException;
}
