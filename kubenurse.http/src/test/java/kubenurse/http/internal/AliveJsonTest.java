package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import java.util.List;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.discovery.Neighbour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AliveJsonTest {

    /** Node "a": SHA-256 begins ca978112ca1bbdca, above 2^63; node "b": 3e23e8160039594a, below. */
    private static final Neighbour ON_A = new Neighbour("pod-a", "10.0.0.1", "192.168.0.1", "a", "Running");
    private static final Neighbour ON_B = new Neighbour("pod-b", "10.0.0.2", "192.168.0.2", "b", "Running");

    /** Eligible but not chosen for checking. */
    private static final Neighbour ON_C = new Neighbour("pod-c", "10.0.0.3", "192.168.0.3", "c", "Running");
    private static final JsonArray ELIGIBLE = AliveJson.neighbourhood(List.of(ON_A, ON_B, ON_C), List.of(ON_A, ON_B));

    private static CheckResults results(CheckResult... results) {
        return new CheckResults(List.of(results), List.of(ON_A, ON_B), List.of(ON_A, ON_B, ON_C));
    }

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

    @Test
    void theVerdictShowsBothDirectionsTheCountsAndTheNodesBehindAProblem() {
        kubenurse.checks.Verdict verdict = new kubenurse.checks.Verdict(kubenurse.checks.Verdict.State.PROBLEM,
                kubenurse.checks.Verdict.State.OK, 3, 1, List.of("node-c", "node-d"), List.of());
        assertEquals("{\"inbound\":\"problem\",\"outbound\":\"ok\",\"expected_checkers\":3,\"heard_checkers\":1,"
                + "\"silent_checkers\":[\"node-c\",\"node-d\"],\"failing_paths\":[]}", AliveJson.verdict(verdict).toString());
        assertEquals("{\"inbound\":\"skipped\",\"outbound\":\"skipped\",\"expected_checkers\":0,\"heard_checkers\":0,"
                + "\"silent_checkers\":[],\"failing_paths\":[]}", AliveJson.verdict(results().verdict()).toString(),
                "results without a verdict (local mode) show it skipped");
    }

    @Test
    void neighbourEntriesCarryUpstreamsFieldsInItsOrderThenPhaseAndWhetherChecked() {
        String text = AliveJson.neighbourhood(List.of(ON_A, ON_B), List.of(ON_B)).toString();
        assertEquals("[{\"PodName\":\"pod-a\",\"PodIP\":\"10.0.0.1\",\"HostIP\":\"192.168.0.1\",\"NodeName\":\"a\","
                + "\"NodeHash\":14598278634844962250,\"Phase\":\"Running\",\"Checked\":false},"
                + "{\"PodName\":\"pod-b\",\"PodIP\":\"10.0.0.2\",\"HostIP\":\"192.168.0.2\",\"NodeName\":\"b\","
                + "\"NodeHash\":4477677635727087946,\"Phase\":\"Running\",\"Checked\":true}]", text);
    }

    /** Go prints a uint64 with all its digits; Json.value(long) would print -3848465438864589366 here. */
    @Test
    void aNodeHashAboveTwoTo63IsPrintedUnsignedWithEveryDigit() {
        assertEquals("18446744073709551615", AliveJson.unsignedNumber(-1L).toString());
        assertEquals("9223372036854775808", AliveJson.unsignedNumber(Long.MIN_VALUE).toString());
        assertEquals("0", AliveJson.unsignedNumber(0L).toString());
        assertEquals("14598278634844962250", AliveJson.unsignedNumber(ON_A.nodeHash()).toString());
    }

    @Test
    void lastCheckResultCarriesNeighbourhoodStateAndNeighbourhoodWhileDiscoveryWorks() {
        JsonObject last = AliveJson.lastCheckResult(
                results(CheckResult.ok("api_server_direct"), new CheckResult("path_a", "connection refused")), "ok",
                ELIGIBLE);
        assertEquals(List.of("api_server_direct", "path_a", "neighbourhood_state", "neighbourhood"), last.names());
        assertEquals("ok", last.getString("neighbourhood_state", null), "the state of discovery, as upstream's");
        assertEquals(ELIGIBLE, last.get("neighbourhood"), "every eligible neighbour, checked or not, as upstream's");
        assertEquals(3, last.get("neighbourhood").asArray().size());
    }

    /** Upstream leaves the neighbourhood out when the neighbours could not be listed or are not checked. */
    @ParameterizedTest
    @ValueSource(strings = {"skipped", "pods: list /api/v1/pods: 403 Forbidden"})
    void lastCheckResultHasNoNeighbourhoodUnlessDiscoveryWorks(String discoveryState) {
        JsonObject last = AliveJson.lastCheckResult(results(CheckResult.ok("me_service")), discoveryState, ELIGIBLE);
        assertEquals(List.of("me_service", "neighbourhood_state"), last.names());
        assertEquals(discoveryState, last.getString("neighbourhood_state", null));
        assertNull(last.get("neighbourhood"));
    }

    /** Extra checks may bear these names; a JSON object with a key twice is read differently by each parser. */
    @Test
    void anExtraCheckOfTheSameNameNeverDoublesAKey() {
        JsonObject last = AliveJson.lastCheckResult(results(new CheckResult("neighbourhood_state", "connection refused"),
                new CheckResult("neighbourhood", "404 Not Found")), "ok", ELIGIBLE);
        assertEquals(List.of("neighbourhood_state", "neighbourhood"), last.names());
        assertEquals("ok", last.getString("neighbourhood_state", null), "upstream's meaning wins");
        assertEquals(3, Json.parse(last.toString()).asObject().get("neighbourhood").asArray().size());
    }
}
