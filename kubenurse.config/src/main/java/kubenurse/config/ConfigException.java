package kubenurse.config;

import java.io.Serial;
import java.util.List;

/**
 * The environment held one or more values kubenurse cannot run with. {@link #problems()} has one line per
 * problem, each naming the variable, the value and the accepted form.
 */
public final class ConfigException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // an immutable List.copyOf, which is serializable
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
