package kubenurse.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.eclipsesource.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import kubenurse.checks.UdpPathResult;
import org.junit.jupiter.api.Test;

class UdpAliveJsonTest {

    @Test
    void eachNeighbourInOrderWithPlainDecimalSeconds() {
        Map<String, UdpPathResult> paths = new LinkedHashMap<>();
        paths.put("path_node-c", new UdpPathResult(20, 20, OptionalDouble.empty(), OptionalDouble.empty(), true));
        paths.put("path_node-b", new UdpPathResult(20, 0, OptionalDouble.of(2.13e-4), OptionalDouble.of(1.2e-5), true));
        assertEquals("{\"path_node-c\":{\"sent\":20,\"lost\":20,\"rtt_p50_seconds\":null,\"jitter_seconds\":null,"
                + "\"state\":\"answering\"},\"path_node-b\":{\"sent\":20,\"lost\":0,\"rtt_p50_seconds\":0.000213,"
                + "\"jitter_seconds\":0.000012,\"state\":\"answering\"}}", UdpAliveJson.render(paths).toString());
    }

    @Test
    void aNeighbourThatNeverAnsweredShowsNoTimesAndSaysSo() {
        String json = UdpAliveJson.render(Map.of("path_node-d",
                new UdpPathResult(20, 20, OptionalDouble.empty(), OptionalDouble.empty(), false))).toString();
        assertEquals(Json.parse("{\"path_node-d\":{\"sent\":20,\"lost\":20,\"rtt_p50_seconds\":null,"
                + "\"jitter_seconds\":null,\"state\":\"udp_unanswered\"}}"), Json.parse(json));
    }

    @Test
    void secondsAreShownToTheNanosecond() {
        String json = UdpAliveJson.render(Map.of("path_node-e", new UdpPathResult(20, 0,
                OptionalDouble.of(0.0021687769999999998), OptionalDouble.of(0.0), true))).toString();
        assertEquals("{\"path_node-e\":{\"sent\":20,\"lost\":0,\"rtt_p50_seconds\":0.002168777,\"jitter_seconds\":0,"
                + "\"state\":\"answering\"}}", json);
    }

    @Test
    void nobodyProbedIsAnEmptyObject() {
        assertEquals("{}", UdpAliveJson.render(Map.of()).toString());
    }
}
