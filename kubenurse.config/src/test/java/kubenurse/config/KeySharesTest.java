package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.Test;

class KeySharesTest {

    private static final String[] JDK_DEFAULT = {"x25519", "secp256r1", "secp384r1", "secp521r1", "x448", "ffdhe2048"};
    private static final SSLException NO_SHARED_GROUP = new SSLHandshakeException("Received fatal alert: handshake_failure");

    @Test
    void oneShareUntilTheDestinationRefusesThenEveryGroupForIt() {
        KeyShares shares = new KeyShares(JDK_DEFAULT);
        SSLParameters first = new SSLParameters();
        assertTrue(shares.apply(first, "api.example", 443));
        assertArrayEquals(new String[] {"x25519", "x448"}, first.getNamedGroups());

        assertTrue(shares.refused("API.example", 443, NO_SHARED_GROUP));
        SSLParameters later = new SSLParameters();
        assertFalse(shares.apply(later, "api.example", 443));
        assertNull(later.getNamedGroups(), "the JDK's own groups");
        assertTrue(shares.apply(new SSLParameters(), "api.example", 6443), "another port is another destination");
    }

    @Test
    void onlyAnAlertOfNoSharedGroupIsARefusal() {
        assertTrue(KeyShares.refusedBy(NO_SHARED_GROUP));
        assertTrue(KeyShares.refusedBy(new SSLProtocolException("(unexpected_message) Received fatal alert: unexpected_message")));
        assertTrue(KeyShares.refusedBy(new SSLHandshakeException("Received fatal alert: insufficient_security")));
        SSLHandshakeException untrusted = new SSLHandshakeException("Received fatal alert: handshake_failure");
        untrusted.initCause(new CertificateException("PKIX path building failed"));
        assertFalse(KeyShares.refusedBy(untrusted), "our verdict on the certificate");
        assertFalse(KeyShares.refusedBy(new SSLHandshakeException("Remote host terminated the handshake")), "a reset");
        assertFalse(KeyShares.refusedBy(new SSLHandshakeException("Received fatal alert: bad_certificate")));
        assertFalse(KeyShares.refusedBy(new SSLException("Received fatal alert: handshake_failure")), "not a handshake");

        KeyShares shares = new KeyShares(JDK_DEFAULT);
        assertFalse(shares.refused("api.example", 443, untrusted));
        assertTrue(shares.apply(new SSLParameters(), "api.example", 443), "still one share");
    }

    @Test
    void groupsTheJdkDoesNotEnableAreNotOffered() {
        SSLParameters nistOnly = new SSLParameters();
        assertFalse(new KeyShares(new String[] {"secp256r1", "secp384r1"}).apply(nistOnly, "api.example", 443));
        assertNull(nistOnly.getNamedGroups());
        SSLParameters withoutX448 = new SSLParameters();
        assertTrue(new KeyShares(new String[] {"secp256r1", "x25519"}).apply(withoutX448, "api.example", 443));
        assertArrayEquals(new String[] {"x25519"}, withoutX448.getNamedGroups());
    }

    @Test
    void theLeastRecentlyRefusedDestinationIsForgottenPastTheBound() {
        KeyShares shares = new KeyShares(JDK_DEFAULT);
        for (int i = 0; i <= KeyShares.REMEMBERED; i++) {
            shares.refused("host-" + i, 443, NO_SHARED_GROUP);
        }
        assertTrue(shares.apply(new SSLParameters(), "host-0", 443), "forgotten: offered one share again");
        assertFalse(shares.apply(new SSLParameters(), "host-1", 443));
        assertFalse(shares.apply(new SSLParameters(), "host-" + KeyShares.REMEMBERED, 443));
    }
}
