package kubenurse.discovery.internal;

/** The API server answered, but not with success; the message says what was asked and the status. */
final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    ApiError(int status, String message) {
        super(message + " (HTTP " + status + ")", null, false, false);
    }

    static void check(int status, String what) throws ApiError {
        if (status != 200) {
            throw new ApiError(status, what + ": unexpected status");
        }
    }
}
