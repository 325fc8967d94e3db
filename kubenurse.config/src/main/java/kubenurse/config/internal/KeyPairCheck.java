package kubenurse.config.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import kubenurse.config.Pem;

/** At start, whether CERT_KEY is the private key of CERT_FILE's certificate ({@link Pem#keyMatches}). */
final class KeyPairCheck {

    private KeyPairCheck() {
    }

    /** Empty when the key matches the first certificate, or when either file does not parse (reported elsewhere). */
    static Optional<String> problem(Path certFile, Path keyFile) {
        try {
            if (Pem.keyMatches(Pem.readCertificates(certFile).getFirst(), Pem.readPrivateKey(keyFile))) {
                return Optional.empty();
            }
        } catch (IOException | GeneralSecurityException unreadable) {
            return Optional.empty();
        }
        return Optional.of("the private key of the certificate in KUBENURSE_CERT_FILE " + certFile);
    }
}
