package kubenurse.checks.internal.udp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import kubenurse.checks.UdpPathResult;
import kubenurse.config.LogValue;
import kubenurse.discovery.Neighbour;

/**
 * Probes the chosen neighbours over UDP every interval, on its own schedule thread (never waiting for, nor
 * delaying, the HTTP checks): each neighbour gets its probes spaced evenly over the first half of the interval,
 * and a probe without a reply within {@link #REPLY_TIMEOUT} (or by the end of the cycle) is lost. One socket
 * sends every probe; one thread receives every reply and hands it to its cycle by sequence number.
 * The schedule thread alone touches the chosen paths and their results; the cycles are shared with the receiver.
 */
final class UdpProber implements AutoCloseable {

    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private final DatagramChannel channel;
    private final int port;
    private final int probes;
    private final Duration interval;
    private final Supplier<List<Neighbour>> neighbours;
    private final UdpMetrics metrics;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kubenurse-udp-schedule").daemon().factory());
    private final Thread receiver;
    /** Sequence number to the probe it was sent as, until its cycle is finished. */
    private final Map<Long, Slot> pending = new ConcurrentHashMap<>();
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(UdpPacket.SIZE);
    /** The schedule thread's alone, as are the two maps below. */
    private long nextSequence = 1;
    private final Map<String, Path> chosen = new LinkedHashMap<>();
    private final Map<String, UdpPathResult> results = new LinkedHashMap<>();
    private volatile Map<String, UdpPathResult> latest = Map.of();

    /**
     * @param channel    bound (any local port), in blocking mode; closed by {@link #close()}
     * @param port       where the neighbours answer
     * @param probes     per neighbour per cycle
     * @param interval   between the starts of two cycles
     * @param neighbours the chosen neighbours, asked at the start of every cycle
     */
    UdpProber(DatagramChannel channel, int port, int probes, Duration interval, Supplier<List<Neighbour>> neighbours,
            UdpMetrics metrics) {
        this.channel = channel;
        this.port = port;
        this.probes = probes;
        this.interval = interval;
        this.neighbours = neighbours;
        this.metrics = metrics;
        // a platform thread: the reply's arrival time is the end of the measured round trip
        this.receiver = Thread.ofPlatform().name("kubenurse-udp-receiver").daemon().unstarted(this::receive);
    }

    void start() {
        receiver.start();
        schedule.scheduleAtFixedRate(safely("udp_cycle", this::cycle), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Each chosen neighbour's last completed cycle, by type, in the neighbours' order. */
    Map<String, UdpPathResult> latest() {
        return latest;
    }

    /** A neighbour being probed; a new pod on the node (a new address) is a new path, not yet answered. */
    private static final class Path {
        final InetSocketAddress target;
        boolean answered;

        Path(InetSocketAddress target) {
            this.target = target;
        }
    }

    private record Round(Path path, UdpPathCycle cycle) {
    }

    private record Slot(UdpPathCycle cycle, int index) {
    }

    private void cycle() {
        long start = System.nanoTime();
        long end = start + interval.toNanos();
        Map<String, InetSocketAddress> targets = targets(neighbours.get());
        for (Iterator<String> types = chosen.keySet().iterator(); types.hasNext(); ) {
            String type = types.next();
            if (!targets.containsKey(type)) {
                types.remove();
                results.remove(type);
                metrics.forget(type);
            }
        }
        List<Round> rounds = new ArrayList<>();
        targets.forEach((type, target) -> {
            Path path = chosen.get(type);
            if (path == null || !path.target.equals(target)) {
                if (path == null) {
                    metrics.chosen(type);
                }
                path = new Path(target);
                chosen.put(type, path);
                results.remove(type);
            }
            rounds.add(new Round(path, new UdpPathCycle(type, target, probes)));
        });
        publish();
        if (rounds.isEmpty()) {
            return;
        }
        long spacing = interval.toNanos() / 2 / probes;
        for (int i = 0; i < probes; i++) {
            int index = i;
            schedule.schedule(safely("udp_send", () -> send(rounds, index, end)),
                    start + i * spacing - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /** Sends probe {@code index} of this cycle to every neighbour still chosen; after the last, waits for the replies. */
    private void send(List<Round> rounds, int index, long end) {
        long lastDeadline = System.nanoTime();
        for (Round round : rounds) {
            UdpPathCycle cycle = round.cycle();
            if (chosen.get(cycle.type()) != round.path()) {
                continue;
            }
            long sequence = nextSequence++;
            pending.put(sequence, new Slot(cycle, index));
            long sendNanos = System.nanoTime();
            long deadline = Math.min(sendNanos + REPLY_TIMEOUT.toNanos(), end);
            lastDeadline = Math.max(lastDeadline, deadline);
            // recorded before it goes out, so that no reply can come before its probe is known
            cycle.sent(index, sendNanos, deadline);
            metrics.sent(cycle.type());
            try {
                channel.send(new UdpPacket(UdpPacket.PROBE, sequence, sendNanos).encode(sendBuffer), cycle.target());
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException unreachable) {
                // no route, say: the probe is sent as far as we can tell, and lost
                LOG.log(Level.DEBUG, "event=udp_probe_failed type=" + LogValue.quote(cycle.type())
                        + " error=" + LogValue.quote(unreachable));
            }
        }
        if (index == probes - 1) {
            schedule.schedule(safely("udp_finish", () -> finish(rounds)), lastDeadline - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void finish(List<Round> rounds) {
        Set<UdpPathCycle> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Round round : rounds) {
            UdpCycleStats stats = round.cycle().finish();
            done.add(round.cycle());
            if (chosen.get(stats.type()) != round.path()) {
                continue; // left while probed: its series are gone and stay gone
            }
            metrics.record(stats);
            round.path().answered |= stats.answered() > 0;
            results.put(stats.type(), new UdpPathResult(stats.sent(), stats.lost(), stats.p50(), stats.jitter(),
                    round.path().answered));
        }
        pending.values().removeIf(slot -> done.contains(slot.cycle()));
        publish();
    }

    private void publish() {
        Map<String, UdpPathResult> shown = new LinkedHashMap<>();
        chosen.keySet().forEach(type -> {
            UdpPathResult result = results.get(type);
            if (result != null) {
                shown.put(type, result);
            }
        });
        latest = Collections.unmodifiableMap(shown);
    }

    /** One address per type (the first pod of a node, as during a surge rollout two may share it). */
    private Map<String, InetSocketAddress> targets(List<Neighbour> current) {
        Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
        for (Neighbour neighbour : current) {
            if (targets.containsKey(neighbour.checkType())) {
                continue;
            }
            try {
                targets.put(neighbour.checkType(), new InetSocketAddress(InetAddress.ofLiteral(neighbour.podIp()), port));
            } catch (IllegalArgumentException notAnAddress) {
                LOG.log(Level.DEBUG, "event=udp_neighbour_skipped type=" + LogValue.quote(neighbour.checkType())
                        + " pod_ip=" + LogValue.quote(neighbour.podIp()));
            }
        }
        return targets;
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(UdpPacket.SIZE + 1);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                channel.receive(buffer);
                long now = System.nanoTime();
                buffer.flip();
                UdpPacket.decode(buffer).filter(packet -> packet.kind() == UdpPacket.REPLY).ifPresent(reply -> {
                    Slot slot = pending.get(reply.sequence());
                    if (slot != null) {
                        slot.cycle().replied(slot.index(), reply.sendNanos(), now);
                    }
                });
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException | RuntimeException failed) {
                LOG.log(Level.DEBUG, "event=udp_receive_failed error=" + LogValue.quote(failed));
            }
        }
    }

    /** A task that logs what it throws: a scheduled task that throws is cancelled, and with it the schedule. */
    private static Runnable safely(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RejectedExecutionException stopping) {
                // close() shut the schedule down while this task planned the next: nothing left to do
            } catch (RuntimeException unexpected) {
                LOG.log(Level.ERROR, "event=" + what + "_failed error=" + LogValue.quote(unexpected));
            }
        };
    }

    /** Stops the schedule, closes the socket (which ends the receiver) and waits for both briefly. */
    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            channel.close();
            schedule.awaitTermination(2, TimeUnit.SECONDS);
            receiver.join(2000);
        } catch (IOException failed) {
            LOG.log(Level.WARNING, "event=close_failed resource=udp_prober error=" + LogValue.quote(failed));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
