package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AliveJsonTest {

    @ParameterizedTest
    @CsvSource({
        "accept-encoding, Accept-Encoding",
        "Accept-encoding, Accept-Encoding",
        "KUBENURSE-NEIGHBOUR-ORIGIN, Kubenurse-Neighbour-Origin",
        "host, Host",
        "x-b3-traceid, X-B3-Traceid",
    })
    void headerNamesInGoCanonicalForm(String raw, String canonical) {
        assertEquals(canonical, AliveJson.canonical(raw));
    }
}
