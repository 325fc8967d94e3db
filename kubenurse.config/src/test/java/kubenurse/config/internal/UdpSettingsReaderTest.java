package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import kubenurse.config.UdpSettings;
import org.junit.jupiter.api.Test;

class UdpSettingsReaderTest {

    @Test
    void readsAllThreeAndKeepsTheDefaultsOfBadValuesWithOneProblemEach() {
        Variables good = new Variables(Map.of("KUBENURSE_CHECK_UDP", "false", "KUBENURSE_UDP_PORT", "18081",
                "KUBENURSE_UDP_PROBES", "50"));
        assertEquals(new UdpSettings(false, 18081, 50), UdpSettingsReader.read(good));
        assertEquals(List.of(), good.problems());

        Variables bad = new Variables(Map.of("KUBENURSE_CHECK_UDP", "off", "KUBENURSE_UDP_PORT", "70000",
                "KUBENURSE_UDP_PROBES", "many"));
        assertEquals(new UdpSettings(true, 8080, 20), UdpSettingsReader.read(bad));
        assertEquals(List.of(
                "config error: KUBENURSE_CHECK_UDP=\"off\": expected true or false",
                "config error: KUBENURSE_UDP_PORT=\"70000\": expected a port number from 1 to 65535",
                "config error: KUBENURSE_UDP_PROBES=\"many\": expected a whole number from 1 to 1000"), bad.problems());
    }
}
