package kubenurse.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import kubenurse.checks.internal.http.Check;
import kubenurse.checks.internal.http.Observation;
import org.junit.jupiter.api.Test;

/** Which checks left the plan between two cycles: keys gone, and types of which no check is left. */
class DeparturesTest {

    private static Check check(String type, String key) {
        return new Check() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public Observation run() {
                throw new UnsupportedOperationException("never run here");
            }
        };
    }

    private static final Check API = check("api_server_direct", "api_server_direct https://10.0.0.1/version");
    private static final Check OLD_POD = check("path_node-b", "path_node-b http://10.0.0.2:8080/alwayshappy");
    private static final Check NEW_POD = check("path_node-b", "path_node-b http://10.0.0.3:8080/alwayshappy");
    private static final Check POD_C = check("path_node-c", "path_node-c http://10.0.0.4:8080/alwayshappy");

    @Test
    void aNeighbourThatLeftIsItsKeyAndItsType() {
        Departures departed = Departures.between(List.of(API, OLD_POD, POD_C), List.of(API, OLD_POD));
        assertEquals(Set.of(POD_C.key()), departed.keys());
        assertEquals(Set.of("path_node-c"), departed.types());
    }

    @Test
    void aPodReplacedOnItsNodeIsAKeyGoneButItsTypeStays() {
        Departures departed = Departures.between(List.of(API, OLD_POD), List.of(API, NEW_POD));
        assertEquals(Set.of(OLD_POD.key()), departed.keys(), "the old pod's client goes");
        assertEquals(Set.of(), departed.types(), "the node's series stay: the new pod carries them on");
    }

    @Test
    void anUnchangedPlanIsNone() {
        assertTrue(Departures.between(List.of(API, OLD_POD), List.of(OLD_POD, API)).isEmpty());
        assertEquals(Departures.NONE, Departures.between(List.of(), List.of(API)));
    }
}
