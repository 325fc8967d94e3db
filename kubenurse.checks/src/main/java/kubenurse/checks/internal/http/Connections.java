package kubenurse.checks.internal.http;

import java.net.http.HttpRequest;

/** How a check's runs get their connections; chosen once, at start. */
public enum Connections {
    /** KUBENURSE_REUSE_CONNECTIONS=true: all runs share one client and its pool. */
    REUSED,
    /**
     * A fresh connection per run from a client kept per check, which asks the server to close after each
     * response ({@code Connection: close}).
     */
    FRESH_KEPT_CLIENT,
    /**
     * A fresh connection per run from a client made for the run: what is left when the JVM does not allow the
     * Connection header (-Djdk.httpclient.allowRestrictedHeaders=connection, which the image sets).
     */
    FRESH_CLIENT_PER_RUN;

    /** java.net.http refuses to send this header unless the JVM allows it; read once, as the JDK does. */
    static final boolean JVM_ALLOWS_CLOSE = jvmAllowsClose();

    /** The mode for KUBENURSE_REUSE_CONNECTIONS in this JVM. */
    public static Connections of(boolean reuse) {
        return reuse ? REUSED : JVM_ALLOWS_CLOSE ? FRESH_KEPT_CLIENT : FRESH_CLIENT_PER_RUN;
    }

    private static boolean jvmAllowsClose() {
        try {
            HttpRequest.newBuilder().header("Connection", "close");
            return true;
        } catch (IllegalArgumentException restricted) {
            return false;
        }
    }
}
