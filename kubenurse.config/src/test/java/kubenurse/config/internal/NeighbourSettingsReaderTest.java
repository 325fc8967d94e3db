package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NeighbourSettingsReaderTest {

    @Test
    void aNamespaceHasAtMost63Characters() {
        Variables longest = new Variables(Map.of("KUBENURSE_NAMESPACE", "n".repeat(63)));
        assertEquals("n".repeat(63), NeighbourSettingsReader.read(longest).namespace());
        assertEquals(List.of(), longest.problems());

        Variables tooLong = new Variables(Map.of("KUBENURSE_NAMESPACE", "n".repeat(64)));
        NeighbourSettingsReader.read(tooLong);
        assertEquals(1, tooLong.problems().size());
        assertTrue(tooLong.problems().getFirst().contains("at most 63 characters"), tooLong.problems().toString());
    }

    @Test
    void aSelectorProblemSaysWhereTheSelectorIsWrong() {
        Variables env = new Variables(Map.of("KUBENURSE_NEIGHBOUR_FILTER", "app in (a", "KUBENURSE_NEIGHBOUR_LIMIT", "x"));
        NeighbourSettingsReader.read(env);
        assertEquals(2, env.problems().size(), env.problems().toString());
        assertTrue(env.problems().getFirst().startsWith("config error: KUBENURSE_NEIGHBOUR_FILTER=\"app in (a\": "
                + "expected a Kubernetes label selector such as app.kubernetes.io/name=kubenurse ("), env.problems().toString());
        assertTrue(env.problems().get(1).startsWith("config error: KUBENURSE_NEIGHBOUR_LIMIT="), env.problems().toString());
    }
}
