package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckSettingsReaderTest {

    @Test
    void bucketsTakeExponents() {
        Variables env = new Variables(Map.of("KUBENURSE_HISTOGRAM_BUCKETS", "1e-3, 2E2"));
        assertEquals(List.of(0.001, 200.0), CheckSettingsReader.read(env).histogramBuckets());
        assertEquals(List.of(), env.problems());
    }

    /** Double.parseDouble would take these; a bucket bound is a plain number of seconds. */
    @Test
    void bucketsRejectHexAndJavaSuffixesAndFallBackToTheDefaults() {
        for (String value : List.of("0x10", "1d", "2f", "NaN")) {
            Variables env = new Variables(Map.of("KUBENURSE_HISTOGRAM_BUCKETS", value));
            assertEquals(CheckSettingsReader.DEFAULT_BUCKETS, CheckSettingsReader.read(env).histogramBuckets());
            assertEquals(1, env.problems().size(), value);
        }
    }
}
