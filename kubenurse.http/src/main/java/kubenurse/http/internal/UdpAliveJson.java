package kubenurse.http.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.OptionalDouble;
import kubenurse.checks.UdpPathResult;

/**
 * /alive's "udp" object (ours, issue 14): per probed neighbour, by type, its last completed UDP probe cycle's
 * sent, lost, median round-trip time, jitter and state. A neighbour that has never answered says so
 * ("udp_unanswered", no times), so that a firewall dropping UDP does not read as 100 % packet loss.
 */
final class UdpAliveJson {

    private UdpAliveJson() {
    }

    static JsonObject render(Map<String, UdpPathResult> paths) {
        JsonObject udp = new JsonObject();
        paths.forEach((type, path) -> udp.add(type, new JsonObject()
                .add("sent", path.sent())
                .add("lost", path.lost())
                .add("rtt_p50_seconds", path.answered() ? seconds(path.rttP50Seconds()) : Json.NULL)
                .add("jitter_seconds", path.answered() ? seconds(path.jitterSeconds()) : Json.NULL)
                .add("state", path.state())));
        return udp;
    }

    /**
     * In plain decimals (0.000213, not 2.13E-4), easier to read, and to the nanosecond, the resolution they were
     * measured in (a mean of nanoseconds would otherwise print as 0.0021687769999999998).
     */
    private static JsonValue seconds(OptionalDouble value) {
        if (value.isEmpty()) {
            return Json.NULL;
        }
        BigDecimal nanosecondDigits = BigDecimal.valueOf(value.getAsDouble()).setScale(9, RoundingMode.HALF_UP);
        return Json.parse(nanosecondDigits.stripTrailingZeros().toPlainString());
    }
}
