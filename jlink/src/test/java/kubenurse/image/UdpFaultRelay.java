package kubenurse.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A UDP relay that stands for a faulty link to one node (this kernel has no netem): it listens where the
 * others believe the node is, forwards each datagram to the node from a socket of its own per client, and
 * the node's answers back to that client, dropping and delaying each direction as set at run time. It
 * counts what it forwarded and dropped per direction, so a test can hold kubenurse's figures against it.
 */
final class UdpFaultRelay implements AutoCloseable {

    /** One direction's fault: each datagram is dropped with probability {@code loss}, else sent {@code delay} late. */
    record Fault(double loss, Duration delay) {
        static final Fault NONE = new Fault(0, Duration.ZERO);
        static final Fault BLACKHOLE = new Fault(1, Duration.ZERO);

        Fault {
            if (!(loss >= 0 && loss <= 1) || delay.isNegative()) {
                throw new IllegalArgumentException("loss in [0, 1] and delay >= 0: " + loss + ", " + delay);
            }
        }
    }

    /** What the relay did so far: "there" is client to node, "back" is node to client. */
    record Counts(long forwardedThere, long droppedThere, long forwardedBack, long droppedBack) {
        Counts minus(Counts earlier) {
            return new Counts(forwardedThere - earlier.forwardedThere, droppedThere - earlier.droppedThere,
                    forwardedBack - earlier.forwardedBack, droppedBack - earlier.droppedBack);
        }

        /** Datagrams that entered the relay towards the node. */
        long received() {
            return forwardedThere + droppedThere;
        }

        /** The fraction of round trips the relay broke, from its own counts (each answer one request). */
        double roundTripLoss() {
            return received() == 0 ? 0 : 1 - (double) forwardedBack / received();
        }
    }

    /**
     * Nanoseconds the forwarded datagrams spent in the relay, from their arrival to their sending, in total per
     * direction: the delay it really added, which on a busy machine exceeds the one set by its late wake-ups.
     */
    record Held(long thereNanos, long backNanos) {
        Held minus(Held earlier) {
            return new Held(thereNanos - earlier.thereNanos, backNanos - earlier.backNanos);
        }

        /** Mean seconds added to a round trip, given the counts of the same window. */
        double perRoundTrip(Counts forwarded) {
            return thereNanos / 1e9 / forwarded.forwardedThere() + backNanos / 1e9 / forwarded.forwardedBack();
        }
    }

    /** One client's counts. */
    private static final class Tally {
        final AtomicLong forwardedThere = new AtomicLong();
        final AtomicLong droppedThere = new AtomicLong();
        final AtomicLong forwardedBack = new AtomicLong();
        final AtomicLong droppedBack = new AtomicLong();
        final AtomicLong heldThere = new AtomicLong();
        final AtomicLong heldBack = new AtomicLong();

        Counts counts() {
            return new Counts(forwardedThere.get(), droppedThere.get(), forwardedBack.get(), droppedBack.get());
        }
    }

    private final DatagramChannel listener;
    private final InetSocketAddress target;
    private final UnaryOperator<InetAddress> upstreamAddress;
    private final Map<SocketAddress, DatagramChannel> upstreams = new ConcurrentHashMap<>();
    private final Map<InetAddress, Tally> tallies = new ConcurrentHashMap<>();
    private final Direction there;
    private final Direction back;
    private final Thread listening;

    /**
     * Listens on {@code listen} (port 0: any free port) and forwards to {@code target}, for each client from a
     * socket bound to {@code upstreamAddress.apply(client's address)} (one address per client keeps the node's
     * view of who sends how much, as for its per-source rate limit); {@code seed} makes the drops repeatable.
     */
    UdpFaultRelay(InetSocketAddress listen, InetSocketAddress target, UnaryOperator<InetAddress> upstreamAddress,
            long seed) throws IOException {
        this.listener = DatagramChannel.open().bind(listen);
        this.target = target;
        this.upstreamAddress = upstreamAddress;
        this.there = new Direction("there", new Random(seed));
        this.back = new Direction("back", new Random(seed ^ 0x5DEECE66DL));
        this.listening = Thread.ofPlatform().name("udp-relay-listen").daemon().start(this::listen);
    }

    int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Sets both directions' faults at once; datagrams already waiting out a delay keep theirs. */
    void set(Fault towardsNode, Fault fromNode) {
        there.fault = towardsNode;
        back.fault = fromNode;
    }

    /** All clients together. */
    Counts counts() {
        Counts sum = new Counts(0, 0, 0, 0);
        for (Tally tally : tallies.values()) {
            Counts one = tally.counts();
            sum = new Counts(sum.forwardedThere() + one.forwardedThere(), sum.droppedThere() + one.droppedThere(),
                    sum.forwardedBack() + one.forwardedBack(), sum.droppedBack() + one.droppedBack());
        }
        return sum;
    }

    /** One client's, by its address (all its ports together). */
    Counts counts(InetAddress client) {
        Tally tally = tallies.get(client);
        return tally == null ? new Counts(0, 0, 0, 0) : tally.counts();
    }

    /** One client's time held, by its address. */
    Held held(InetAddress client) {
        Tally tally = tallies.get(client);
        return tally == null ? new Held(0, 0) : new Held(tally.heldThere.get(), tally.heldBack.get());
    }

    private Tally tally(SocketAddress client) {
        return tallies.computeIfAbsent(((InetSocketAddress) client).getAddress(), c -> new Tally());
    }

    private void listen() {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        while (listener.isOpen()) {
            try {
                buffer.clear();
                SocketAddress client = listener.receive(buffer);
                buffer.flip();
                DatagramChannel upstream = upstreams.computeIfAbsent(client, this::openUpstream);
                if (upstream != null) {
                    there.offer(copy(buffer), upstream, target, tally(client));
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** A socket of its own per client: the node's answer on it tells which client it belongs to. */
    private DatagramChannel openUpstream(SocketAddress client) {
        try {
            InetAddress from = upstreamAddress.apply(((InetSocketAddress) client).getAddress());
            DatagramChannel upstream = DatagramChannel.open().bind(new InetSocketAddress(from, 0));
            upstream.connect(target);
            Thread.ofVirtual().name("udp-relay-back-" + client).start(() -> answer(upstream, client));
            return upstream;
        } catch (IOException cannot) {
            System.out.println("udp relay: no socket for " + client + ": " + cannot);
            return null;
        }
    }

    private void answer(DatagramChannel upstream, SocketAddress client) {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        while (upstream.isOpen()) {
            try {
                buffer.clear();
                upstream.receive(buffer);
                buffer.flip();
                back.offer(copy(buffer), listener, client, tally(client));
            } catch (IOException closedOrRefused) {
                // ICMP port unreachable from a node not yet listening surfaces here on a connected socket
                if (!upstream.isOpen()) {
                    return;
                }
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer).flip();
        return copy;
    }

    private record Due(long arrivedNanos, long dueNanos, ByteBuffer datagram, DatagramChannel via, SocketAddress to,
            AtomicLong forwarded, AtomicLong held) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Due) other).dueNanos);
        }
    }

    /**
     * One direction: drops are decided on arrival; the rest wait out the delay in a queue that one platform
     * thread drains (a platform thread: its wake-ups are the precision of the added delay).
     */
    private final class Direction {
        private final Random random;
        private final boolean towardsNode;
        private final DelayQueue<Due> queue = new DelayQueue<>();
        private volatile Fault fault = Fault.NONE;

        Direction(String name, Random random) {
            this.random = random;
            this.towardsNode = name.equals("there");
            Thread.ofPlatform().name("udp-relay-" + name).daemon().start(this::deliver);
        }

        void offer(ByteBuffer datagram, DatagramChannel via, SocketAddress to, Tally tally) {
            Fault now = fault;
            if (now.loss() > 0 && random.nextDouble() < now.loss()) {
                (towardsNode ? tally.droppedThere : tally.droppedBack).incrementAndGet();
                return;
            }
            long arrived = System.nanoTime();
            queue.add(new Due(arrived, arrived + now.delay().toNanos(), datagram, via, to,
                    towardsNode ? tally.forwardedThere : tally.forwardedBack, towardsNode ? tally.heldThere : tally.heldBack));
        }

        private void deliver() {
            while (listener.isOpen()) {
                try {
                    Due due = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (due != null) {
                        if (due.via() == listener) {
                            listener.send(due.datagram(), due.to());
                        } else {
                            due.via().write(due.datagram());
                        }
                        due.held().addAndGet(System.nanoTime() - due.arrivedNanos());
                        due.forwarded().incrementAndGet();
                    }
                } catch (ClosedChannelException closed) {
                    // that client's socket is gone, or the relay is closing
                } catch (IOException | InterruptedException unsent) {
                    // the node refused (nothing listening yet): as good as lost on the wire, not counted as forwarded
                }
            }
        }
    }

    /** Returns once the port is free again: a channel closed while a thread receives on it lets go when that thread has left. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (DatagramChannel upstream : upstreams.values()) {
            upstream.close();
        }
        try {
            listening.join(Duration.ofSeconds(5));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
