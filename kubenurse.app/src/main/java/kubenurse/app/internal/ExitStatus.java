package kubenurse.app.internal;

/** The process exit statuses, documented in the README. */
public final class ExitStatus {

    /** Stopped after SIGTERM or SIGINT, having drained. */
    public static final int OK = 0;
    /** Something unexpected failed at start. */
    public static final int FAILURE = 1;
    /** The environment held invalid values; each was printed on its own line. */
    public static final int CONFIG_ERROR = 2;
    /**
     * The JVM ran out of memory. Not returned by our code: the image's JVM option -XX:+ExitOnOutOfMemoryError
     * exits with 3, and no other cause may use it, so that it always means this.
     */
    public static final int OUT_OF_MEMORY = 3;
    /** A listen port could not be bound (in use, or not permitted). */
    public static final int LISTEN_ERROR = 4;

    private ExitStatus() {
    }
}
