package io.github.camelhpx.client;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.github.camelhpx.client.internal.Fatal;
import io.github.camelhpx.client.internal.Link;
import io.github.camelhpx.client.internal.ReaderThread;
import io.github.camelhpx.client.internal.ServerConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection of the client's session open only to hear broadcasts, which go to the client's
 * {@link BroadcastListener}s. When the server goes away (quit, restart, crash, network cut) it reconnects with
 * exponential back-off, authenticating again if the session was lost. A connection starts the back-off again from
 * its initial delay only if it stayed up at least that long: one that the server (or a proxy in front of it) drops as
 * soon as it is made counts as a failed attempt, so that such a server is not reconnected to, and the outage not
 * reported again, every initial delay. {@link #close()} stops it at once, also while it waits to reconnect.
 */
public final class BroadcastWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastWatch.class);

    /** What the watch tells about its connection, besides the broadcasts themselves. */
    public interface StateListener {

        /** A connection is open and belongs to this session. */
        void onConnected(String sessionId);

        /** The connection failed or could not be made; the next attempt follows after {@code retryIn}. */
        void onDisconnected(HpxException cause, Duration retryIn);

        /**
         * The watch ended without being closed, because its thread was interrupted: no broadcast arrives through
         * it any more, and no further attempt follows.
         */
        default void onEnded(HpxException cause) {
        }
    }

    private final HpxClient client;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final StateListener states;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<BroadcastWatch> onClose;
    // A watch the client refused to start (it was closing) has no thread whose end close() could wait for.
    private volatile boolean started;
    private Socket attempt;
    private ServerConnection connection;
    private boolean closed;
    // The client moved to another server: the connection being opened or listened on is to the one it left.
    private boolean moved;
    // A state listener runs on the watch's thread: close() from elsewhere must not wait for a listener that blocks.
    private volatile boolean notifying;
    private volatile Thread runner;
    // Whether the runner is opening a connection (else it listens, or waits); only the runner reads it.
    private boolean opening;

    BroadcastWatch(HpxClient client, Duration initialDelay, Duration maxDelay, StateListener states,
            Consumer<BroadcastWatch> onClose) {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
        this.client = client;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.states = states;
        this.onClose = onClose;
    }

    void start(Executor executor) {
        started = true;
        executor.execute(this::run);
    }

    private void run() {
        runner = Thread.currentThread();
        Duration delay = initialDelay;
        try {
            while (true) {
                ServerConnection current;
                try {
                    clearMoved();
                    current = open();
                } catch (RuntimeException | Error e) {
                    Fatal.rethrowIfFatal(e);
                    if (!backOff(asHpx(e), delay)) {
                        return;
                    }
                    delay = next(delay);
                    continue;
                }
                if (!adopt(current)) {
                    return;
                }
                if (clearMoved()) {
                    // Opened on the server the client moved from while it was opened.
                    current.close();
                    continue;
                }
                String session = client.sessionId();
                tell(() -> states.onConnected(session));
                long connectedAt = System.nanoTime();
                try {
                    current.listen();
                } catch (RuntimeException | Error e) {
                    // Whatever the listen failed with, the connection is gone: the watch goes on with another one.
                    current.close();
                    Fatal.rethrowIfFatal(e);
                    if (clearMoved()) {
                        // Another server: it starts from the initial delay.
                        delay = initialDelay;
                        continue;
                    }
                    if (System.nanoTime() - connectedAt >= initialDelay.toNanos()) {
                        delay = initialDelay;
                    }
                    if (!backOff(asHpx(e), delay)) {
                        return;
                    }
                    delay = next(delay);
                }
            }
        } finally {
            finished.countDown();
        }
    }

    private ServerConnection open() {
        opening = true;
        try {
            return client.openSessionConnection(this::attempting);
        } finally {
            opening = false;
            // Once no longer opening: a move their calls make is followed.
            client.deliverRecordedBroadcasts();
        }
    }

    /** Keeps the socket of a connection being opened, for {@link #close()} to abort it. */
    private void attempting(Socket socket) {
        lock.lock();
        try {
            attempt = socket;
            if (closed) {
                Link.closeQuietly(socket);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes the connection the one {@link #close()} will close; false if the watch closed meanwhile. */
    private boolean adopt(ServerConnection current) {
        lock.lock();
        try {
            attempt = null;
            if (closed) {
                current.close();
                return false;
            }
            connection = current;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Reports the failure and waits before the next attempt; false when the watch was closed. */
    private boolean backOff(HpxException cause, Duration delay) {
        lock.lock();
        try {
            attempt = null;
            connection = null;
            if (closed) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread().isInterrupted()) {
            // No retry would come: said as the end it is, not as an outage.
            endedByInterrupt();
            return false;
        }
        LOG.debug("HPX broadcast watch lost its connection, retrying in {}: {}", delay, cause.getMessage());
        tell(() -> states.onDisconnected(cause, delay));
        lock.lock();
        try {
            long remaining = delay.toNanos();
            while (!closed && !moved && remaining > 0) {
                remaining = wakeUp.awaitNanos(remaining);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        endedByInterrupt();
        return false;
    }

    /**
     * Said, not silent: whoever counts on the watch (a consumer, its health check) would wait for broadcasts. Not
     * when it was closed: {@link #tell} then calls nothing.
     */
    private void endedByInterrupt() {
        HpxException cause = new HpxConnectionException("HPX broadcast watch's thread was interrupted: the watch "
                + "ended, and no broadcast arrives through it any more", null);
        tell(() -> {
            LOG.warn("{}", cause.getMessage());
            states.onEnded(cause);
        });
    }

    private static HpxException asHpx(Throwable failure) {
        return failure instanceof HpxException hpx ? hpx
                : new HpxConnectionException("HPX broadcast watch's connection failed: " + failure.getClass().getName(),
                        failure);
    }

    /**
     * Runs a {@link StateListener} call: one that fails must not end the watch, which keeps broadcasts coming. Outside
     * the lock, and flagged: a route's error handling may run in the listener, and close() must not wait for it.
     */
    private void tell(Runnable call) {
        lock.lock();
        try {
            // Under the lock that close() sets closed and reads notifying with: either it waits for no listener,
            // or the listener is not called.
            if (closed) {
                return;
            }
            notifying = true;
        } finally {
            lock.unlock();
        }
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            Fatal.rethrowIfFatal(e);
            LOG.warn("HPX broadcast watch's state listener {} failed", states, e);
        } finally {
            notifying = false;
        }
    }

    /** Whether the client moved since the last call, forgetting it. */
    private boolean clearMoved() {
        lock.lock();
        try {
            boolean was = moved;
            moved = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client moved to another server: the watch leaves the one it is on, without an outage to report, and
     * listens on the new one.
     */
    void reconnect() {
        if (Thread.currentThread() == runner && opening) {
            // The watch's own connect moved the client: what it opens is on the new server. (A listener's call
            // that moved it, on the runner too, leaves the connection listened on: that one is closed below.)
            return;
        }
        lock.lock();
        try {
            moved = true;
            if (connection != null) {
                connection.close();
            }
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Duration next(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
    }

    /**
     * Stops the watch, closing its connection, and waits briefly for its thread to end: not when called by a
     * listener, on the watch's thread or a connection's reader, which the end it would wait for must pass through,
     * nor while a state listener runs, which may take its time.
     */
    @Override
    public void close() {
        boolean listenerRunning;
        lock.lock();
        try {
            closed = true;
            listenerRunning = notifying;
            if (connection != null) {
                connection.close();
            }
            if (attempt != null) {
                Link.closeQuietly(attempt);
            }
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
        if (!started || listenerRunning || Thread.currentThread() == runner
                || Thread.currentThread() instanceof ReaderThread) {
            return;
        }
        try {
            if (!finished.await(5, TimeUnit.SECONDS)) {
                LOG.warn("HPX broadcast watch did not stop within 5 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
