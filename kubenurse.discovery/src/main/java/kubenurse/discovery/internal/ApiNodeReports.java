package kubenurse.discovery.internal;

import kubenurse.config.Config;
import kubenurse.discovery.NodeReports;

/** Placeholder until the API writes exist: reports nothing. (Being replaced by the Events and node-condition writer.) */
public final class ApiNodeReports implements NodeReports {

    public static final NodeReports NONE = new ApiNodeReports();

    private ApiNodeReports() {
    }

    public static NodeReports start(Config config) {
        return NONE;
    }

    @Override
    public void nodeEvent(String node, EventType type, String reason, String message) {
    }

    @Override
    public void ownNodeCondition(boolean problem, String reason, String message) {
    }

    @Override
    public long failures(Kind kind) {
        return 0;
    }

    @Override
    public void close() {
    }
}
