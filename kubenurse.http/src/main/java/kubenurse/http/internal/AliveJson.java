package kubenurse.http.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.WriterConfig;
import com.sun.net.httpserver.HttpExchange;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kubenurse.checks.CheckResult;
import kubenurse.checks.CheckResults;
import kubenurse.checks.Verdict;
import kubenurse.checks.UdpPathResult;
import kubenurse.config.CheckSettings;
import kubenurse.config.UrlHost;
import kubenurse.discovery.Neighbour;

/**
 * Renders /alive as the Go kubenurse does, as a superset of its versions: the seed's flat fields
 * (api_server_direct, ..., neighbourhood, headers), Go 1.14+'s user_agent, request_uri, remote_addr and
 * nested last_check_result, which v1.15.3 extends by neighbourhood_state and neighbourhood; and ours,
 * discovery_state and each neighbour's Phase and Checked. Both neighbourhood lists hold every eligible neighbour,
 * as upstream's, whether the hash ring chose it for checking or not.
 */
final class AliveJson {

    private static final List<String> FLAT_TYPES = CheckSettings.BUILT_IN_TYPES;

    static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie");
    static final String REDACTED = "<redacted>";

    private AliveJson() {
    }

    static String render(String hostname, CheckResults results, String discoveryState,
            Map<String, UdpPathResult> udp, HttpExchange exchange) {
        JsonArray neighbourhood = neighbourhood(results.eligible(), results.neighbourhood());
        JsonObject json = new JsonObject();
        json.add("hostname", hostname);
        for (String type : FLAT_TYPES) {
            json.add(type, results.outcome(type).orElse(CheckResult.SKIPPED));
        }
        json.add("neighbourhood_state", results.neighbourhoodState());
        json.add("neighbourhood", neighbourhood);
        // ours: while discovery fails, the neighbourhood above is the last known one, perhaps stale
        json.add("discovery_state", discoveryState);
        json.add("headers", headers(exchange));
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        json.add("user_agent", userAgent == null ? "" : userAgent);
        json.add("request_uri", exchange.getRequestURI().toString());
        json.add("remote_addr", remoteAddress(exchange.getRemoteAddress()));
        json.add("last_check_result", lastCheckResult(results, discoveryState, neighbourhood));
        // ours (issue 14), rendered apart: the UDP probe's last cycle per neighbour
        json.add("udp", UdpAliveJson.render(udp));
        // ours (issue 21): which direction of our node's network is broken, by the quorum of its peers
        json.add("verdict", verdict(results.verdict()));
        return json.toString(WriterConfig.PRETTY_PRINT) + "\n";
    }

    static JsonObject verdict(Verdict verdict) {
        JsonObject json = new JsonObject();
        json.add("inbound", verdict.inbound().label());
        json.add("outbound", verdict.outbound().label());
        json.add("expected_checkers", verdict.expectedCheckers());
        json.add("heard_checkers", verdict.heardCheckers());
        JsonArray silent = new JsonArray();
        verdict.silentCheckers().forEach(silent::add);
        json.add("silent_checkers", silent);
        JsonArray failing = new JsonArray();
        verdict.failingPaths().forEach(failing::add);
        json.add("failing_paths", failing);
        return json;
    }

    /**
     * Upstream v1.15.3's last_check_result: every check's outcome by type, then neighbourhood_state, which
     * there says whether the neighbours could be listed ("ok", "skipped", or the error), so here discovery's
     * state; and only while that is "ok", as upstream, the neighbourhood. {@code set}, not {@code add}: an
     * extra check may bear either name, and a JSON object must not carry a key twice.
     */
    static JsonObject lastCheckResult(CheckResults results, String discoveryState, JsonArray neighbourhood) {
        JsonObject last = new JsonObject();
        results.byType().forEach(last::add);
        last.set("neighbourhood_state", discoveryState);
        if (CheckResult.OK.equals(discoveryState)) {
            last.set("neighbourhood", neighbourhood);
        }
        return last;
    }

    /**
     * Upstream's neighbour fields, in its order, and ours after them: Phase, and Checked, true when this pod is
     * among the neighbours checked (its path_ result is in last_check_result).
     */
    static JsonArray neighbourhood(List<Neighbour> eligible, List<Neighbour> checked) {
        Set<String> checkedPods = checked.stream().map(Neighbour::podName).collect(Collectors.toSet());
        JsonArray array = new JsonArray();
        for (Neighbour n : eligible) {
            array.add(new JsonObject()
                    .add("PodName", n.podName())
                    .add("PodIP", n.podIp())
                    .add("HostIP", n.hostIp())
                    .add("NodeName", n.nodeName())
                    .add("NodeHash", unsignedNumber(n.nodeHash()))
                    .add("Phase", n.phase())
                    .add("Checked", checkedPods.contains(n.podName())));
        }
        return array;
    }

    /**
     * A uint64 as Go's encoding/json prints it: every digit, no sign, no exponent. Json.value(long) would print
     * positions from 2^63 up as negative numbers and a double would round them; a parsed number keeps its text.
     */
    static JsonValue unsignedNumber(long value) {
        return Json.parse(Long.toUnsignedString(value));
    }

    /**
     * Request headers, names in Go's canonical form ("Accept-Encoding"), sorted as Go's JSON sorts maps; the
     * values of credentials are replaced by {@value #REDACTED}, so that /alive cannot hand a caller's (or a
     * proxy's) credentials to whoever reads its answer.
     */
    private static JsonObject headers(HttpExchange exchange) {
        Map<String, List<String>> sorted = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> sorted.put(canonical(name), values));
        JsonObject headers = new JsonObject();
        sorted.forEach((name, values) -> {
            JsonArray array = new JsonArray();
            boolean secret = CREDENTIAL_HEADERS.contains(name);
            values.forEach(value -> array.add(secret ? REDACTED : value));
            headers.add(name, array);
        });
        return headers;
    }

    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    private static String remoteAddress(InetSocketAddress remote) {
        String host = remote.getAddress().getHostAddress();
        return UrlHost.of(host) + ":" + remote.getPort();
    }
}
