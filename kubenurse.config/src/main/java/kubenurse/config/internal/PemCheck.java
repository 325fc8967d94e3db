package kubenurse.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import kubenurse.config.Pem;

/** What a PEM file named by a variable must hold, and why it does not. */
enum PemCheck {
    CERTIFICATES("a readable PEM file with one or more certificates"),
    /** A system CA bundle: as Go reads one, entries that do not parse are skipped, but one must parse. */
    CA_BUNDLE("a readable PEM file with one or more certificates"),
    PRIVATE_KEY("a readable PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");

    private final String expected;

    PemCheck(String expected) {
        this.expected = expected;
    }

    String expected() {
        return expected;
    }

    /** Empty when the file is fine, else the reason in words. */
    Optional<String> problem(Path path) {
        if (Files.isDirectory(path)) {
            return Optional.of("it is a directory");
        }
        try {
            if (this == CERTIFICATES) {
                Pem.readCertificates(path);
            } else if (this == CA_BUNDLE) {
                if (!Pem.holdsCertificate(path)) {
                    return Optional.of("no PEM CERTIFICATE block that parses");
                }
            } else {
                Pem.readPrivateKey(path);
            }
            return Optional.empty();
        } catch (NoSuchFileException missing) {
            return Optional.of("no such file");
        } catch (IOException | GeneralSecurityException unreadable) {
            return Optional.of(unreadable.getMessage());
        }
    }
}
