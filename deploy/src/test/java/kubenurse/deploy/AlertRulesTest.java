package kubenurse.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The alert rules: valid for Prometheus, each alert proven by a promtool unit test, one copy per installer. */
class AlertRulesTest {

    private static final String RULES = "deploy/helm/kubenurse/files/kubenurse.rules.yaml";

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assumeTrue(kubenurse.testing.Promtool.installed(), "promtool not installed (Debian package prometheus): rules not checked");
        Manifests.Result result = Manifests.run("promtool", "check", "rules", RULES);
        assertEquals(0, result.status(), result.out() + result.err());
    }

    @Test
    void everyAlertFiresOnFailureAndStaysSilentWhenHealthy() throws Exception {
        assumeTrue(kubenurse.testing.Promtool.installed(), "promtool not installed (Debian package prometheus): rule tests not run");
        Manifests.Result result = Manifests.run("promtool", "test", "rules", "deploy/prometheus/kubenurse.rules.test.yaml");
        assertEquals(0, result.status(), result.out() + result.err());
    }

    @Test
    void kustomizeUsersGetTheSameAlerts() throws Exception {
        Map<String, Object> canonical = new Yaml().load(Files.readString(Manifests.ROOT.resolve(RULES)));
        Map<String, Object> rule = new Yaml().load(Files.readString(
                Manifests.ROOT.resolve("deploy/kustomize/overlays/example/prometheusrule.yaml")));
        assertEquals(canonical, rule.get("spec"));
    }

    @Test
    void yamlIsLintClean() throws Exception {
        assumeTrue(Manifests.onPath("yamllint"), "yamllint not installed: YAML style not checked");
        Manifests.Result result = Manifests.run("yamllint", "-c", ".yamllint.yaml", "deploy");
        assertEquals(0, result.status(), result.out() + result.err());
    }
}
