package kubenurse.discovery.internal;

import kubenurse.discovery.NodeReports;

/** The reports of local mode: nothing is written, nothing fails; a caller's bad argument still fails as in a cluster. */
final class NoNodeReports implements NodeReports {

    @Override
    public void nodeEvent(String node, EventType type, String reason, String message) {
        ReportArguments.node(node);
        ReportArguments.required(type, "event type");
        ReportArguments.reason(reason);
        ReportArguments.message(message);
    }

    @Override
    public void ownNodeCondition(boolean problem, String reason, String message) {
        ReportArguments.reason(reason);
        ReportArguments.message(message);
    }

    @Override
    public long failures(Kind kind) {
        ReportArguments.required(kind, "kind");
        return 0;
    }

    @Override
    public void close() {
    }
}
