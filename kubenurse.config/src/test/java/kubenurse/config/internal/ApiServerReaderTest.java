package kubenurse.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import kubenurse.config.ApiServer;
import org.junit.jupiter.api.Test;

class ApiServerReaderTest {

    @Test
    void acceptsABareIpv6AddressAndRejectsABracketedOne() {
        Variables bare = new Variables(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1"));
        assertEquals(Optional.of("fd00::1"), ApiServerReader.read(bare).host());
        assertEquals(List.of(), bare.problems());

        Variables bracketed = new Variables(Map.of("KUBERNETES_SERVICE_HOST", "[fd00::1]"));
        assertEquals(Optional.empty(), ApiServerReader.read(bracketed).host());
        assertEquals(List.of("config error: KUBERNETES_SERVICE_HOST=\"[fd00::1]\": expected an IPv4 address, "
                + "an IPv6 address or a host name"), bracketed.problems());
    }

    @Test
    void aBadHostLeavesLocalModeAndTheOtherFieldsRead() {
        Variables env = new Variables(Map.of("KUBERNETES_SERVICE_HOST", "bad host", "KUBERNETES_SERVICE_PORT", "6443"));
        ApiServer apiServer = ApiServerReader.read(env);
        assertEquals(Optional.empty(), apiServer.host());
        assertEquals(6443, apiServer.port());
        assertEquals(1, env.problems().size(), env.problems().toString());
    }

    @Test
    void aTrailingDotIsAFullyQualifiedDnsName() {
        Variables env = new Variables(Map.of("KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.cluster.local."));
        assertEquals("kubernetes.default.svc.cluster.local.", ApiServerReader.read(env).dnsName());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void readsUpstreamsVariableWithoutPrefix() {
        Variables env = new Variables(Map.of("KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org"));
        assertEquals("kubernetes.default.svc.example.org", ApiServerReader.read(env).dnsName());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void ourPrefixedNameStaysAnAlias() {
        Variables env = new Variables(Map.of("KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org"));
        assertEquals("kubernetes.default.svc.example.org", ApiServerReader.read(env).dnsName());
        assertEquals(List.of(), env.problems());
    }

    /** The same name twice (a chart value and an old extra env entry, say) is no conflict; DNS ignores case. */
    @Test
    void bothSetToTheSameNameIsAccepted() {
        Variables env = new Variables(Map.of("KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org",
                "KUBENURSE_KUBERNETES_SERVICE_DNS", "Kubernetes.Default.svc.example.org"));
        assertEquals("kubernetes.default.svc.example.org", ApiServerReader.read(env).dnsName());
        assertEquals(List.of(), env.problems());
    }

    @Test
    void bothSetAndDifferentIsOneProblemNamingBoth() {
        Variables env = new Variables(Map.of("KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.example.org",
                "KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes.default.svc.cluster.local"));
        ApiServerReader.read(env);
        assertEquals(List.of("config error: KUBERNETES_SERVICE_DNS=\"kubernetes.default.svc.example.org\": expected "
                + "the same DNS name as its alias KUBENURSE_KUBERNETES_SERVICE_DNS=\"kubernetes.default.svc.cluster.local\", "
                + "or only one of the two set"), env.problems());
    }

    @Test
    void aBadNameIsReportedUnderTheVariableThatHoldsIt() {
        Variables upstream = new Variables(Map.of("KUBERNETES_SERVICE_DNS", "kubernetes..svc"));
        ApiServerReader.read(upstream);
        assertEquals(List.of("config error: KUBERNETES_SERVICE_DNS=\"kubernetes..svc\": expected a DNS name such as "
                + "kubernetes.default.svc.cluster.local"), upstream.problems());

        Variables alias = new Variables(Map.of("KUBENURSE_KUBERNETES_SERVICE_DNS", "kubernetes..svc"));
        ApiServerReader.read(alias);
        assertEquals(List.of("config error: KUBENURSE_KUBERNETES_SERVICE_DNS=\"kubernetes..svc\": expected a DNS name "
                + "such as kubernetes.default.svc.cluster.local"), alias.problems());
    }
}
