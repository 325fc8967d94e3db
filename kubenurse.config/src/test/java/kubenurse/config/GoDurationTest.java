package kubenurse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "5s, 5000000000",
        "300ms, 300000000",
        "1m30s, 90000000000",
        "1.5h, 5400000000000",
        "2h45m, 9900000000000",
        "10us, 10000",
        "10µs, 10000",
        "10μs, 10000",
        "7ns, 7",
        ".5s, 500000000",
        "5.s, 5000000000",
        "+3s, 3000000000",
        "-2s, -2000000000",
        "1h0.5s, 3600500000000",
        "0.000000001s, 1",
        "1.9999999999ns, 1",
        "9223372036854775807ns, 9223372036854775807",
        "2562047h47m16.854775807s, 9223372036854775807",
        "-9223372036854775808ns, -9223372036854775808",
        "-2562047h47m16.854775808s, -9223372036854775808",
        "000000000000000000000001s, 1000000000",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5x", "s", "1.2.3s", "5 s", "5S", "1h 30m", "-", ".s", "1e3s", "9999999999h",
        "9223372036854775808ns", "2562047h47m16.854775808s", "99999999999999999999s", "2562048h",
        "-9223372036854775809ns", "\u0663s"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "6000000000, 6s",
        "90000000000, 1m30s",
        "7200000000000, 2h0m0s",
        "300000000, 300ms",
        "1500, 1.5µs",
        "12, 12ns",
        "1500000000, 1.5s",
        "-5000000000, -5s",
        "1001, 1.001µs",
        "60000000001, 1m0.000000001s",
        "9223372036854775807, 2562047h47m16.854775807s",
        "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void formatsLikeGo(long nanos, String text) {
        assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
    }

    @ParameterizedTest
    @ValueSource(longs = {3_723_450_000_000L, 1, -1_500, Long.MAX_VALUE, Long.MIN_VALUE})
    void formatThenParseIsIdentity(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        assertEquals(d, GoDuration.parse(GoDuration.format(d)));
    }
}
