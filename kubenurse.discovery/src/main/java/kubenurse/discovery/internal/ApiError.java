package kubenurse.discovery.internal;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;
import java.io.IOException;
import java.io.StringReader;

/** The API server answered, but not with success; the message says what was asked and the status. */
final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiError(int status, String message) {
        super(message + " (HTTP " + status + ")", null, false, false);
        this.status = status;
    }

    /** The HTTP status the API server answered with. */
    int status() {
        return status;
    }

    /**
     * Throws unless {@code answer} is a success (2xx), with what was asked and the message of the Status the
     * API server sent (a 403 names the verb, resource and user that RBAC refused).
     */
    static void checkSuccess(ApiClient.Answer answer, String what) throws ApiError {
        if (!answer.ok()) {
            throw new ApiError(answer.status(), what + ": " + statusMessage(answer.body()));
        }
    }

    private static String statusMessage(String body) {
        try {
            JsonValue status = Json.parse(new JsonDepthLimit(new StringReader(body == null ? "" : body)));
            String message = status.isObject() ? Lenient.text(status.asObject(), "message") : "";
            return message.isEmpty() ? "unexpected status" : message;
        } catch (IOException | ParseException notAStatus) {
            return "unexpected status";
        }
    }

    static void check(int status, String what) throws ApiError {
        if (status != 200) {
            throw new ApiError(status, what + ": unexpected status");
        }
    }
}
