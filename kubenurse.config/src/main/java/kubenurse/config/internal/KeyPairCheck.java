package kubenurse.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;
import kubenurse.config.Pem;

/**
 * Proves that a private key belongs to a certificate by signing with one and verifying with the other;
 * a mismatch would otherwise only show as failed TLS handshakes of every client.
 */
final class KeyPairCheck {

    private static final byte[] PROBE = "kubenurse key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    /** Empty when the key matches the first certificate, or when either file does not parse (reported elsewhere). */
    static Optional<String> problem(Path certFile, Path keyFile) {
        PublicKey publicKey;
        PrivateKey privateKey;
        try {
            publicKey = Pem.readCertificates(certFile).getFirst().getPublicKey();
            privateKey = Pem.readPrivateKey(keyFile);
        } catch (IOException | GeneralSecurityException unreadable) {
            return Optional.empty();
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (verifier.verify(signature)) {
                return Optional.empty();
            }
        } catch (GeneralSecurityException mismatch) {
            // a key of another algorithm than the certificate's: reported below
        }
        return Optional.of("the private key of the certificate in KUBENURSE_CERT_FILE " + certFile);
    }
}
