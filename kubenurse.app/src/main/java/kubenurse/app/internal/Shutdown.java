package kubenurse.app.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT begin a graceful stop: readiness turns false at once so that Services and neighbours
 * stop sending traffic, and the process keeps serving for SHUTDOWN_DURATION before it closes. The JVM's
 * own handling (shutdown hooks) would exit with 143; taking the signals over lets a clean stop exit 0.
 */
final class Shutdown {

    private static final Logger LOG = System.getLogger("kubenurse.app");

    private final CountDownLatch signalled = new CountDownLatch(1);
    private volatile boolean stopping;

    boolean ready() {
        return !stopping;
    }

    void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), this::onSignal);
        }
    }

    private void onSignal(Signal signal) {
        if (stopping) {
            LOG.log(Level.INFO, "event=signal_ignored signal=SIG" + signal.getName() + " reason=already_stopping");
            return;
        }
        stopping = true;
        LOG.log(Level.INFO, "event=signal_received signal=SIG" + signal.getName());
        signalled.countDown();
    }

    /** Blocks until the first stop signal. */
    void awaitSignal() {
        boolean interrupted = false;
        while (true) {
            try {
                signalled.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps serving, not ready, for the drain period. */
    void drain(Duration period) {
        try {
            TimeUnit.NANOSECONDS.sleep(period.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
