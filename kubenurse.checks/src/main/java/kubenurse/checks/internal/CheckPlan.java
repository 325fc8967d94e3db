package kubenurse.checks.internal;

import java.util.ArrayList;
import java.util.List;
import kubenurse.checks.Neighbour;
import kubenurse.config.CheckSettings;
import kubenurse.config.Config;
import kubenurse.config.ExtraCheck;

/**
 * Decides, per cycle, which checks exist and in which order: the four built-in checks, one path check per
 * neighbour, then the extra checks. A check that is switched off, has no URL, or cannot run outside a
 * cluster is a {@link SkippedCheck}.
 */
final class CheckPlan {

    static final String API_SERVER_DIRECT = "api_server_direct";
    static final String API_SERVER_DNS = "api_server_dns";
    static final String ME_INGRESS = "me_ingress";
    static final String ME_SERVICE = "me_service";

    private final Config config;

    CheckPlan(Config config) {
        this.config = config;
    }

    List<Check> checks(List<Neighbour> neighbours) {
        CheckSettings settings = config.checks();
        boolean inCluster = !config.localMode();
        List<Check> checks = new ArrayList<>();
        checks.add(new SkippedCheck(API_SERVER_DIRECT));
        checks.add(new SkippedCheck(API_SERVER_DNS));
        checks.add(new SkippedCheck(ME_INGRESS));
        checks.add(new SkippedCheck(ME_SERVICE));
        if (inCluster && settings.neighbourhood()) {
            neighbours.forEach(n -> checks.add(new SkippedCheck(n.checkType())));
        }
        for (ExtraCheck extra : settings.extraChecks()) {
            checks.add(new SkippedCheck(extra.name()));
        }
        return checks;
    }
}
