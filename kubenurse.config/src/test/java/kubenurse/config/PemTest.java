package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import kubenurse.testing.TestCertificates;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    @Test
    void readsPkcs8RsaKeyMatchingItsCertificate() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "rsa");
        assertTrue(Files.readString(pair.key()).contains("BEGIN PRIVATE KEY"));
        assertKeyMatches(Pem.readPrivateKey(pair.key()), Pem.readCertificates(pair.cert()).getFirst(), "SHA256withRSA");
    }

    @Test
    void readsPkcs1RsaKey() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "rsa");
        Path pkcs1 = TestCertificates.toPkcs1(pair.key(), dir.resolve("rsa1.key"));
        assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
        assertKeyMatches(Pem.readPrivateKey(pkcs1), Pem.readCertificates(pair.cert()).getFirst(), "SHA256withRSA");
    }

    @Test
    void readsSec1EcKeyAfterItsParametersBlock() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedEc(dir, "ec");
        String text = Files.readString(pair.key());
        assertTrue(text.contains("BEGIN EC PARAMETERS") && text.contains("BEGIN EC PRIVATE KEY"));
        PrivateKey key = Pem.readPrivateKey(pair.key());
        assertEquals("EC", key.getAlgorithm());
        assertKeyMatches(key, Pem.readCertificates(pair.cert()).getFirst(), "SHA256withECDSA");
    }

    @Test
    void keyMatchesOnlyItsOwnCertificate() throws Exception {
        TestCertificates.Pair rsa = TestCertificates.selfSignedRsa(dir, "rsa");
        TestCertificates.Pair otherRsa = TestCertificates.selfSignedRsa(dir, "other");
        TestCertificates.Pair ec = TestCertificates.selfSignedEc(dir, "ec");
        X509Certificate rsaCert = Pem.readCertificates(rsa.cert()).getFirst();
        assertTrue(Pem.keyMatches(rsaCert, Pem.readPrivateKey(rsa.key())));
        assertTrue(Pem.keyMatches(Pem.readCertificates(ec.cert()).getFirst(), Pem.readPrivateKey(ec.key())));
        assertEquals(false, Pem.keyMatches(rsaCert, Pem.readPrivateKey(otherRsa.key())));
        assertEquals(false, Pem.keyMatches(rsaCert, Pem.readPrivateKey(ec.key())));
    }

    @Test
    void readsEveryCertificateOfABundle() throws Exception {
        TestCertificates.Pair a = TestCertificates.selfSignedRsa(dir, "a");
        TestCertificates.Pair b = TestCertificates.selfSignedEc(dir, "b");
        Path bundle = TestCertificates.write(dir.resolve("bundle.pem"),
                Files.readString(a.cert()) + "\n" + Files.readString(b.cert()));
        List<X509Certificate> certificates = Pem.readCertificates(bundle);
        assertEquals(2, certificates.size());
        assertEquals("CN=a", certificates.get(0).getSubjectX500Principal().getName());
        assertEquals("CN=b", certificates.get(1).getSubjectX500Principal().getName());
    }

    @Test
    void trustStoreHoldsEveryCertificateAsATrustAnchor() throws Exception {
        X509Certificate a = Pem.readCertificates(TestCertificates.selfSignedRsa(dir, "a").cert()).getFirst();
        X509Certificate b = Pem.readCertificates(TestCertificates.selfSignedEc(dir, "b").cert()).getFirst();
        java.security.KeyStore store = Pem.trustStore(List.of(a, b));
        assertEquals(2, store.size());
        assertEquals(a, store.getCertificate(store.getCertificateAlias(a)));
        assertTrue(store.isCertificateEntry(store.getCertificateAlias(b)));
    }

    @Test
    void rejectsFileWithoutCertificate() throws Exception {
        Path text = TestCertificates.write(dir.resolve("x.pem"), "hello\n");
        assertThrows(CertificateException.class, () -> Pem.readCertificates(text));
    }

    @Test
    void rejectsCertificateFileAsKey() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "rsa");
        assertThrows(GeneralSecurityException.class, () -> Pem.readPrivateKey(pair.cert()));
    }

    @Test
    void rejectsEncryptedKeyWithReason() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSignedRsa(dir, "rsa");
        Path encrypted = dir.resolve("enc.key");
        TestCertificates.openssl("pkcs8", "-topk8", "-in", pair.key().toString(), "-out", encrypted.toString(),
                "-passout", "pass:secret");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Pem.readPrivateKey(encrypted));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    @Test
    void rejectsCorruptKeyBody() throws Exception {
        Path corrupt = TestCertificates.write(dir.resolve("bad.key"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThrows(GeneralSecurityException.class, () -> Pem.readPrivateKey(corrupt));
    }

    private static void assertKeyMatches(PrivateKey key, X509Certificate cert, String algorithm) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature));
    }

    /** As Go reads a system bundle: UTF-8 comments between blocks, a block that does not parse is skipped. */
    @Test
    void aBundleSkipsWhatDoesNotParseWhereReadCertificatesRefuses() throws Exception {
        Path ca = TestCertificates.certificateAuthority(dir, "ca").cert();
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), "# Főtanúsítvány\n"
                + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                + "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n" + Files.readString(ca));
        assertTrue(Pem.holdsCertificate(bundle), "the third block parses");
        assertEquals(2, Pem.certificateBlocks(bundle).size(), "the block with bad base64 is no block");
        assertEquals(Pem.readCertificates(ca).getFirst(), Pem.parseOrNull(Pem.certificateBlocks(bundle).get(1)));
        assertNull(Pem.parseOrNull(Pem.certificateBlocks(bundle).getFirst()));
        assertThrows(CertificateException.class, () -> Pem.readCertificates(bundle));
        assertFalse(Pem.holdsCertificate(Files.writeString(dir.resolve("empty.pem"), "")));
        assertFalse(Pem.holdsCertificate(Files.writeString(dir.resolve("unparsable.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")));
    }
}
