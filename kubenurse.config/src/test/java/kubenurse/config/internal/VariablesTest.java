package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubenurse.config.LogLevel;
import org.junit.jupiter.api.Test;

class VariablesTest {

    @Test
    void aBadValueGivesTheDefaultAndOneProblemEachInTheOrderRead() {
        Variables env = new Variables(Map.of("B", "yes", "P", "0", "D", "5x"));
        assertTrue(env.bool("B", true));
        assertEquals(8080, env.port("P", 8080));
        assertEquals(Duration.ofSeconds(5), env.duration("D", Duration.ofSeconds(5), true));
        assertEquals(List.of(
                "config error: B=\"yes\": expected true or false",
                "config error: P=\"0\": expected a port number from 1 to 65535",
                "config error: D=\"5x\": expected a positive duration such as 300ms, 5s, 1m30s (units ns, us, ms, s, m, h)"),
                env.problems());
    }

    @Test
    void anEmptyValueIsNotSet() {
        Variables env = new Variables(Map.of("X", ""));
        assertEquals(Optional.empty(), env.text("X"));
        assertFalse(env.bool("X", false));
        assertEquals(List.of(), env.problems());
    }

    /** Integer.parseInt alone would take a sign and non-ASCII digits. */
    @Test
    void wholeNumbersAreAsciiDigitsOnly() {
        Variables env = new Variables(Map.of("PLUS", "+5", "ARABIC", "\u0665", "OK", "0"));
        assertEquals(10, env.nonNegativeInt("PLUS", 10));
        assertEquals(10, env.nonNegativeInt("ARABIC", 10));
        assertEquals(0, env.nonNegativeInt("OK", 10));
        assertEquals(2, env.problems().size(), env.problems().toString());
    }

    @Test
    void zeroIsANonNegativeDurationButNotAPositiveOne() {
        Variables env = new Variables(Map.of("D", "0"));
        assertEquals(Duration.ZERO, env.duration("D", Duration.ofSeconds(5), false));
        assertEquals(List.of(), env.problems());
        assertEquals(Duration.ofSeconds(5), env.duration("D", Duration.ofSeconds(5), true));
        assertEquals(1, env.problems().size());
    }

    @Test
    void oneOfTakesAnyCaseAndListsTheConstantsInLowerCase() {
        Variables env = new Variables(Map.of("GOOD", "wArN", "BAD", "loud"));
        assertEquals(LogLevel.WARN, env.oneOf("GOOD", LogLevel.class, LogLevel.INFO));
        assertEquals(LogLevel.INFO, env.oneOf("BAD", LogLevel.class, LogLevel.INFO));
        assertEquals(List.of("config error: BAD=\"loud\": expected one of error, warn, info, debug"), env.problems());
    }

    @Test
    void urlProblemRedactsEveryPipeSeparatedPart() {
        Variables env = new Variables(Map.of());
        env.urlProblem("U", "a:http://u:pw@h/?t=1|b:https://h2/p?k=2", "something");
        assertEquals(List.of("config error: U=\"a:http://<redacted>@h/?<redacted>|b:https://h2/p?<redacted>\": "
                + "expected something"), env.problems());
    }

    /** The key pair rule runs on paths; a missing file must still come back so it is not reported twice. */
    @Test
    void pemFileReturnsThePathOfAnUnusableFile() {
        Variables env = new Variables(Map.of("F", "/nonexistent/ca.pem"));
        assertEquals(Optional.of(Path.of("/nonexistent/ca.pem")), env.pemFile("F", PemCheck.CERTIFICATES));
        assertEquals(List.of("config error: F=\"/nonexistent/ca.pem\": expected a readable PEM file with one or more "
                + "certificates (no such file)"), env.problems());
    }

    @Test
    void parseUrlWantsASchemeAndAHost() {
        assertTrue(Variables.parseUrl("ftp://h/").isPresent());
        assertFalse(Variables.parseHttpUrl("ftp://h/").isPresent());
        assertFalse(Variables.parseUrl("kubenurse.example.com").isPresent());
        assertFalse(Variables.parseUrl("http://").isPresent());
        assertFalse(Variables.parseUrl("http://bad host/").isPresent());
    }
}
