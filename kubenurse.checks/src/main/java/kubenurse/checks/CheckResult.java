package kubenurse.checks;

/**
 * The outcome of one check: "ok" (HTTP 200), "skipped", the status line of another status, or the error in
 * words, exactly the strings /alive shows.
 *
 * @param type    the check type: api_server_direct, api_server_dns, me_ingress, me_service, path_NODE, or an
 *                extra check's name
 * @param outcome "ok", "skipped", or what went wrong
 */
public record CheckResult(String type, String outcome) {

    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";

    public static CheckResult ok(String type) {
        return new CheckResult(type, OK);
    }

    public static CheckResult skipped(String type) {
        return new CheckResult(type, SKIPPED);
    }

    public boolean isOk() {
        return OK.equals(outcome);
    }

    public boolean isSkipped() {
        return SKIPPED.equals(outcome);
    }
}
