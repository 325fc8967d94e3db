package kubenurse.checks.internal.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class KeySharesTest {

    @Test
    void oneShareUntilTheDestinationRefusesThenEveryGroupForIt() {
        KeyShares shares = new KeyShares();
        SSLParameters first = new SSLParameters();
        shares.apply(first, "api.example", 443);
        assertArrayEquals(KeyShares.ONE_SHARE, first.getNamedGroups());

        assertTrue(shares.offerEveryGroup("API.example", 443), "refused while offered one share: try again");
        assertFalse(shares.offerEveryGroup("api.example", 443), "already offered every group: nothing to try");
        SSLParameters later = new SSLParameters();
        shares.apply(later, "api.example", 443);
        assertNull(later.getNamedGroups(), "the JDK's own groups");
        assertTrue(shares.oneShare("api.example", 6443), "another port is another destination");
    }

    @Test
    void pastItsBoundARefusingDestinationIsNotRememberedAndItsRunsTryAgain() {
        KeyShares shares = new KeyShares();
        for (int i = 0; i < KeyShares.REMEMBERED; i++) {
            assertTrue(shares.offerEveryGroup("host-" + i, 443));
        }
        assertTrue(shares.offerEveryGroup("one-too-many", 443));
        assertTrue(shares.offerEveryGroup("one-too-many", 443), "not remembered: each run tries with every group again");
        assertTrue(shares.oneShare("one-too-many", 443));
        assertFalse(shares.oneShare("host-0", 443));
    }
}
