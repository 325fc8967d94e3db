package kubenurse.image;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Requests to /alwayshappy, each with its own KUBENURSE-NEIGHBOUR-ORIGIN, sent over a few kept-alive
 * connections (as fast as one attacker can), and the incoming-checks gauge they move.
 */
final class OriginFlood {

    static final String GAUGE = "kubenurse_neighbourhood_incoming_checks";
    /** Status recorded for a request that got no response at all. */
    static final int NO_RESPONSE = -1;

    private OriginFlood() {
    }

    /** Sends {@code count} requests, origin {@code i} for the i-th; returns how many got which status. */
    static Map<Integer, Integer> send(RunningImage image, int count, int connections, IntFunction<String> origin)
            throws InterruptedException {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            senders.add(Thread.ofPlatform().name("origin-flood-" + c).start(() -> {
                RawHttp connection = null;
                for (int i = first; i < count && image.process.isAlive(); i += connections) {
                    int status;
                    try {
                        if (connection == null) {
                            connection = RawHttp.connect(image.port, Duration.ofSeconds(5));
                        }
                        status = connection.get("/alwayshappy", "KUBENURSE-NEIGHBOUR-ORIGIN", origin.apply(i));
                    } catch (IOException failed) {
                        status = NO_RESPONSE;
                        closeQuietly(connection);
                        connection = null;
                    }
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
                closeQuietly(connection);
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, n) -> counted.put(status, n.get()));
        return counted;
    }

    /** The gauge's value now, from /metrics; NaN when the image does not answer (it died: reported apart). */
    static double gauge(RunningImage image) throws InterruptedException {
        String metrics;
        try {
            metrics = image.get("/metrics").body();
        } catch (IOException noAnswer) {
            return Double.NaN;
        }
        return metrics.lines().filter(line -> line.startsWith(GAUGE + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(GAUGE.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(GAUGE + " missing from\n" + metrics));
    }

    private static void closeQuietly(RawHttp connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // a broken connection is what the caller already counted
            }
        }
    }
}
