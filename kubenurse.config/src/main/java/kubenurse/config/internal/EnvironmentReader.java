package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import java.util.Map;
import kubenurse.config.ApiServer;
import kubenurse.config.CheckSettings;
import kubenurse.config.Config;
import kubenurse.config.ConfigException;
import kubenurse.config.Identity;
import kubenurse.config.LogLevel;
import kubenurse.config.NeighbourSettings;
import kubenurse.config.ProxySettings;
import kubenurse.config.ServerSettings;
import kubenurse.config.UdpSettings;
import kubenurse.config.VerdictSettings;

/**
 * Reads every variable of the configuration, section by section, collecting all problems before failing
 * so that an operator fixes a manifest in one round, not one variable per restart.
 */
public final class EnvironmentReader {

    private final Variables env;
    private final String hostname;

    public EnvironmentReader(Map<String, String> environment, String hostname) {
        this.env = new Variables(environment);
        this.hostname = hostname;
    }

    /** @throws ConfigException with every problem found */
    public Config read() {
        ServerSettings server = ServerSettingsReader.read(env);
        CheckSettings checks = CheckSettingsReader.read(env);
        ApiServer apiServer = ApiServerReader.read(env);
        NeighbourSettings neighbours = NeighbourSettingsReader.read(env);
        ProxySettings proxy = ProxySettingsReader.read(env);
        UdpSettings udp = UdpSettingsReader.read(env);
        VerdictSettings verdicts = VerdictSettingsReader.read(env);
        // two plain values without rules: a reader of their own would only add a file
        Identity identity = new Identity(env.text(PREFIX + "POD_NAME").orElse(hostname), env.text(PREFIX + "NODE_NAME"));
        LogLevel logLevel = env.oneOf(PREFIX + "LOG_LEVEL", LogLevel.class, LogLevel.INFO);
        boolean exposeMetadata = env.bool(PREFIX + "EXPOSE_METADATA", false);
        boolean victoriaMetricsHistogram = env.bool(PREFIX + "VICTORIAMETRICS_HISTOGRAM", false);
        if (!env.problems().isEmpty()) {
            throw new ConfigException(env.problems());
        }
        return new Config(server, checks, apiServer, neighbours, proxy, identity, logLevel,
                exposeMetadata, victoriaMetricsHistogram, udp, verdicts);
    }
}
