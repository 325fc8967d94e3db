package kubenurse.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubenurse.config.internal.Pkcs8;

/**
 * Reads PEM files: certificate chains and CA bundles, and private keys in PKCS#8 ("PRIVATE KEY"),
 * PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") form, the forms cert-manager and openssl write.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] KEY_PROBE = "kubenurse key pair check".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {
    }

    /**
     * All certificates of a PEM file, in file order.
     *
     * @throws CertificateException when the file holds no certificate or one does not parse
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.label().equals("CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no PEM CERTIFICATE block in " + file);
        }
        return List.copyOf(certificates);
    }

    /**
     * Whether a CA bundle holds a certificate, read as Go's AppendCertsFromPEM reads one: text around the blocks
     * (comments naming each CA, in any encoding), other blocks and certificate blocks that do not parse are
     * skipped, since one odd entry of a system bundle must not cost all the others. Parses up to the first
     * certificate that parses: a whole system bundle is ~100 ms of a start's CPU, and the checks read it when
     * they first need it.
     */
    public static boolean holdsCertificate(Path file) throws IOException {
        return certificateBlocks(file).stream().anyMatch(der -> parseOrNull(der) != null);
    }

    /**
     * The DER of every CERTIFICATE block of a PEM file, in file order, unparsed: a reader of many files can
     * drop the same CA met twice before paying for its parsing. Blocks with bad base64 are skipped.
     */
    public static List<byte[]> certificateBlocks(Path file) throws IOException {
        return scan(file).stream().filter(b -> b.label().equals("CERTIFICATE") && b.der() != null)
                .map(Block::der).toList();
    }

    /** The certificate of a DER encoding; null when it does not parse. */
    public static X509Certificate parseOrNull(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException unparsable) {
            return null;
        }
    }

    /**
     * The first private key of a PEM file.
     *
     * @throws GeneralSecurityException when the file holds no supported private key or it does not parse
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return fromPkcs8(block.der(), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return fromPkcs8(Pkcs8.fromPkcs1Rsa(block.der()), file);
                }
                case "EC PRIVATE KEY" -> {
                    return fromPkcs8(Pkcs8.fromSec1Ec(block.der()), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "encrypted private key in " + file + " is not supported; store it unencrypted");
                default -> {
                    // other blocks (EC PARAMETERS, CERTIFICATE) may precede the key
                }
            }
        }
        throw new GeneralSecurityException("no PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in " + file);
    }

    /**
     * Whether the private key belongs to the certificate, proved by signing with one and verifying with the
     * other: a mismatched pair would otherwise only show as failed TLS handshakes of every client.
     */
    public static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(KEY_PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(KEY_PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException mismatch) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }

    /** An in-memory key store holding these certificates as trust anchors, for a TrustManagerFactory. */
    public static KeyStore trustStore(List<X509Certificate> certificates) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("trusted-" + i, certificates.get(i));
        }
        return store;
    }

    private static PrivateKey fromPkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException notThisAlgorithm) {
                // try the next algorithm: PKCS#8 names it only by OID
            }
        }
        throw new GeneralSecurityException("private key in " + file + " does not parse as RSA, EC or EdDSA");
    }

    private record Block(String label, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException, CertificateException {
        List<Block> blocks = scan(file);
        for (Block block : blocks) {
            if (block.der() == null) {
                throw new CertificateException("bad base64 in PEM block " + block.label() + " of " + file);
            }
        }
        return blocks;
    }

    /** Every block of the file; one with bad base64 has a null {@code der}. */
    private static List<Block> scan(Path file) throws IOException {
        // ISO-8859-1 maps every byte: system bundles carry UTF-8 comments (CA names) between the blocks, which
        // US-ASCII decoding rejects; the blocks themselves are ASCII either way
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        Matcher matcher = BLOCK.matcher(text);
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(2));
            } catch (IllegalArgumentException badBase64) {
                der = null;
            }
            blocks.add(new Block(matcher.group(1), der));
        }
        return blocks;
    }
}
