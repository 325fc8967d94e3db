package kubenurse.image;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One attacker holding connections open: some that sent only part of a request head and never finish
 * it, some that completed one request and stay idle in keep-alive. Failures to open are counted, not
 * thrown: a server may well refuse an attacker, as long as it still serves everyone else.
 */
final class ConnectionAttack implements AutoCloseable {

    private static final String PARTIAL_HEAD = "GET /alwayshappy HTTP/1.1\r\nHost: x\r\n";

    private final int port;
    private final List<RawHttp> halfSent = new ArrayList<>();
    private final List<RawHttp> idle = new ArrayList<>();
    private int halfSentFailed;
    private int idleFailed;
    private String firstFailure = "";
    private double openingSeconds;

    ConnectionAttack(int port) {
        this.port = port;
    }

    /** Opens the connections, giving up on the rest when {@code budget} is spent. */
    void hold(int halfSentCount, int idleCount, Duration budget) {
        long begun = System.nanoTime();
        long deadline = begun + budget.toNanos();
        for (int i = 0; i < halfSentCount; i++) {
            try {
                halfSent.add(opened(System.nanoTime() < deadline).send(PARTIAL_HEAD));
            } catch (IOException failed) {
                halfSentFailed++;
                noteFirst(failed);
            }
        }
        for (int i = 0; i < idleCount; i++) {
            try {
                RawHttp connection = opened(System.nanoTime() < deadline);
                int status;
                try {
                    status = connection.get("/alwayshappy", null, null);
                } catch (IOException failed) {
                    connection.close();
                    throw failed;
                }
                idle.add(connection); // held even when refused: the attacker keeps what it has
                if (status != 200) {
                    throw new IOException("the idle connection's one request was answered " + status);
                }
            } catch (IOException failed) {
                idleFailed++;
                noteFirst(failed);
            }
        }
        openingSeconds = (System.nanoTime() - begun) / 1e9;
    }

    private RawHttp opened(boolean withinBudget) throws IOException {
        if (!withinBudget) {
            throw new IOException("attack budget spent");
        }
        return RawHttp.connect(port, Duration.ofSeconds(2));
    }

    private void noteFirst(IOException failed) {
        if (firstFailure.isEmpty()) {
            firstFailure = failed.toString();
        }
    }

    /** How many of the connections held the server has not closed. */
    int stillOpen() {
        int open = 0;
        for (RawHttp connection : halfSent) {
            open += connection.closedByServer() ? 0 : 1;
        }
        for (RawHttp connection : idle) {
            open += connection.closedByServer() ? 0 : 1;
        }
        return open;
    }

    String summary() {
        return String.format("%d half-sent held (%d failed to open) and %d idle held after one GET (%d failed) in %.1f s%s",
                halfSent.size(), halfSentFailed, idle.size(), idleFailed, openingSeconds,
                firstFailure.isEmpty() ? "" : ", first failure: " + firstFailure);
    }

    @Override
    public void close() {
        for (List<RawHttp> connections : List.of(halfSent, idle)) {
            for (RawHttp connection : connections) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // closing the attacker's side; nothing to learn from a failure here
                }
            }
            connections.clear();
        }
    }
}
