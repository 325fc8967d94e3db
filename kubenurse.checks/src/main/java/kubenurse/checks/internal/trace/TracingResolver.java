package kubenurse.checks.internal.trace;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kubenurse.config.GoDuration;
import kubenurse.config.LogValue;

/**
 * The JDK's own resolver, timed and bounded: a lookup made for a check's request marks dns_start and
 * dns_done on that request's {@link Trace}, and is given up when the request's timeout runs out (the JDK
 * would wait for the system resolver, 10 s and more with a resolver that never answers). Lookups of anyone
 * else pass straight through. Reverse lookups are not made at all ({@link #lookupByAddress}).
 *
 * <p>A lookup cannot be interrupted (getaddrinfo blocks its thread), so it runs on a thread of its own,
 * which the check leaves behind when it gives up. Two limits keep those threads from piling up: a lookup
 * of a name still running is joined, not started again, so a hung name holds one thread however many
 * checks and cycles ask for it; and at most {@link #MAX_LOOKUPS} lookups run at once, beyond which a
 * lookup fails at once instead of starting.
 */
public final class TracingResolver implements InetAddressResolver {

    /** Far more distinct names than the checks look up at once (API server, ingress, service, extra checks). */
    static final int MAX_LOOKUPS = 16;
    /** An idle lookup thread ends after this. */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private static final Logger LOG = System.getLogger("kubenurse.checks");

    private record Key(String host, int characteristics) {
    }

    private final InetAddressResolver builtin;
    private final Duration requestTimeout;
    private final Map<Key, CompletableFuture<List<InetAddress>>> running = new ConcurrentHashMap<>();
    // platform threads: a virtual thread in getaddrinfo would hold one of the few carrier threads with it
    private final ThreadPoolExecutor lookups = new ThreadPoolExecutor(0, MAX_LOOKUPS, IDLE.toSeconds(), TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().name("kubenurse-dns-lookup-", 0).daemon().factory());

    /**
     * @param requestTimeout a check's lookup ends when this much has passed since its request began
     */
    public TracingResolver(InetAddressResolver builtin, Duration requestTimeout) {
        this.builtin = builtin;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        Trace trace = Trace.CURRENT.isBound() ? Trace.CURRENT.get() : null;
        if (trace == null) {
            return builtin.lookupByName(host, policy);
        }
        trace.mark(Trace.DNS_START);
        CompletableFuture<List<InetAddress>> lookup;
        try {
            lookup = shared(host, policy);
        } catch (RejectedExecutionException full) {
            String words = "DNS lookup of " + host + " not started: " + MAX_LOOKUPS + " lookups still hang";
            LOG.log(Level.WARNING, "event=dns_lookups_exhausted host=" + LogValue.quote(host) + " running=" + MAX_LOOKUPS);
            trace.lookupUnfinished(words);
            throw new UnknownHostException(words);
        }
        long left = trace.startNanos() + requestTimeout.toNanos() - System.nanoTime();
        try {
            List<InetAddress> found = lookup.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            trace.mark(Trace.DNS_DONE);
            return found.stream();
        } catch (ExecutionException failed) {
            trace.mark(Trace.DNS_DONE);
            throw unknown(host, failed.getCause());
        } catch (TimeoutException hung) {
            // java.net.http turns any failed lookup into an unresolved address: the trace carries why
            String words = "DNS lookup of " + host + " timed out after " + GoDuration.format(requestTimeout);
            trace.lookupUnfinished(words);
            throw new UnknownHostException(words);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException("DNS lookup of " + host + " interrupted: kubenurse is stopping");
        }
    }

    /** The running lookup of this name, or a new one on a lookup thread. */
    private CompletableFuture<List<InetAddress>> shared(String host, LookupPolicy policy) {
        Key key = new Key(host, policy.characteristics());
        CompletableFuture<List<InetAddress>> mine = new CompletableFuture<>();
        CompletableFuture<List<InetAddress>> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            return theirs;
        }
        try {
            lookups.execute(() -> {
                try {
                    // collect now, so that the lookup, not a lazy stream, is what is timed
                    mine.complete(builtin.lookupByName(host, policy).toList());
                } catch (UnknownHostException | RuntimeException failed) {
                    mine.completeExceptionally(failed);
                } finally {
                    running.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException full) {
            running.remove(key, mine);
            throw full;
        }
        return mine;
    }

    private static UnknownHostException unknown(String host, Throwable cause) {
        if (cause instanceof UnknownHostException unknown) {
            return unknown;
        }
        if (cause instanceof RuntimeException bug) {
            throw bug;
        }
        UnknownHostException wrapped = new UnknownHostException(host);
        wrapped.initCause(cause);
        return wrapped;
    }

    /**
     * Refused at once, without asking DNS: kubenurse needs no name for an address, and the JDK's HTTPS server asks
     * for the client's on every connection it accepts, on the connection's thread, before the handshake
     * ({@code InetSocketAddress.getHostName()}). With TLS on, each neighbour's check of this pod would otherwise wait
     * for a PTR query to cluster DNS, 5 s or 10 s when a query is lost, and be reported as a slow or failed path,
     * while the DNS server took one query per check. The caller then names the address by its literal.
     */
    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        throw new UnknownHostException("kubenurse makes no reverse lookups");
    }
}
