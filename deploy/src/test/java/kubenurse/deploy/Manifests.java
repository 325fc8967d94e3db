package kubenurse.deploy;

import com.marcnuri.helm.Helm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/** Rendering helpers shared by the deployment tests: the repository, commands, multi-document YAML. */
final class Manifests {

    static final Path ROOT = Path.of(System.getProperty("kubenurse.root", "..")).toAbsolutePath().normalize();

    private Manifests() {
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, returns its stdout; stderr is included in the failure message. */
    static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    record Result(int status, String out, String err) {
    }

    /** Every document of a multi-document YAML text, as maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                documents.add((Map<String, Object>) map);
            }
        }
        return documents;
    }

    /** helm template of {@code chart}: each of {@code values} is a values file, later ones override earlier ones. */
    static List<Map<String, Object>> helmTemplate(Path chart, Path dir, String release, String namespace, String... values)
            throws Exception {
        var template = new Helm(chart).template().withName(release).withNamespace(namespace);
        for (String yaml : values) {
            template.withValuesFile(Files.writeString(Files.createTempFile(dir, "values", ".yaml"), yaml));
        }
        return documents(template.call());
    }

    /** A container's env entries that have a value, by name. */
    static Map<String, Object> env(Map<String, Object> container) {
        List<Map<String, Object>> env = at(container, "env");
        return env.stream().filter(e -> e.containsKey("value"))
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
    }

    static Map<String, Object> find(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    /** Follows a path of map keys and list indexes, e.g. at(ds, "spec", "template", "spec", "containers", 0). */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index) {
                current = list.get(index);
            } else {
                throw new AssertionError("no " + step + " in " + current);
            }
        }
        return (T) current;
    }
}
