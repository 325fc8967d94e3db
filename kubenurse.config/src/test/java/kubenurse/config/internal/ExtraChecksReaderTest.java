package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import kubenurse.config.ExtraCheck;
import org.junit.jupiter.api.Test;

class ExtraChecksReaderTest {

    @Test
    void keepsTheGoodEntriesAndReportsEachBadOne() {
        Variables env = new Variables(Map.of("KUBENURSE_EXTRA_CHECKS", "a:http://x|bad name:http://y|b:https://z|c"));
        assertEquals(List.of(new ExtraCheck("a", URI.create("http://x")), new ExtraCheck("b", URI.create("https://z"))),
                ExtraChecksReader.read(env));
        assertEquals(2, env.problems().size(), env.problems().toString());
        assertTrue(env.problems().get(0).endsWith("expected check name 'bad name' to be 1-63 characters of "
                + "[A-Za-z0-9-_.], starting and ending alphanumeric"), env.problems().toString());
        assertTrue(env.problems().get(1).contains("expected entries name:url separated by |"), env.problems().toString());
    }

    @Test
    void aNameHasAtMost63Characters() {
        Variables env = new Variables(Map.of("KUBENURSE_EXTRA_CHECKS",
                "n".repeat(63) + ":http://x|" + "m".repeat(64) + ":http://y"));
        assertEquals(1, ExtraChecksReader.read(env).size());
        assertEquals(1, env.problems().size(), env.problems().toString());
    }

    @Test
    void theBuiltInTypesAreListedInTheProblem() {
        Variables env = new Variables(Map.of("KUBENURSE_EXTRA_CHECKS", "api_server_dns:http://x"));
        assertEquals(List.of(), ExtraChecksReader.read(env));
        assertEquals(List.of("config error: KUBENURSE_EXTRA_CHECKS=\"api_server_dns:http://x\": expected check name "
                + "'api_server_dns' not to be a built-in type (api_server_direct, api_server_dns, me_ingress, me_service, "
                + "path_*)"), env.problems());
    }
}
