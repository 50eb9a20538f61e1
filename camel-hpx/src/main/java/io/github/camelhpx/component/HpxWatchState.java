package io.github.camelhpx.component;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import io.github.camelhpx.client.BroadcastWatch;
import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.ServerCommand;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the connection of a broadcast consumer's watch: the health it reports, and what is told when the
 * connection is lost. An outage goes to the consumer's exception handler once (a WARN by default, or an exchange
 * through the route's error handler with bridgeErrorHandler); each further failed attempt is only logged at DEBUG,
 * unless the failure changes kind (a server that could not be reached now refuses the login). An outage the
 * server announced with a broadcast, within a minute before, is expected, and logged at INFO; a broadcast counts for
 * the next outage only, so that a later crash is told as any other.
 */
final class HpxWatchState implements BroadcastWatch.StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(HpxWatchState.class);
    /** How long after a broadcast a lost connection counts as the one it announced: a server closes at once. */
    static final Duration ANNOUNCES_FOR = Duration.ofMinutes(1);

    private enum Outage {
        NONE, UNREACHABLE, REFUSED
    }

    private final String server;
    private final BiConsumer<String, Throwable> exceptionHandler;
    private volatile HpxHealth health;
    private volatile boolean stopped;
    private final AtomicReference<Announcement> announced = new AtomicReference<>();
    private final LongSupplier clock;
    private final AtomicLong reconnects = new AtomicLong();
    // Only the watch's thread calls the listener's methods.
    private Outage outage = Outage.NONE;
    private boolean connectedBefore;

    private record Announcement(ServerCommand command, long at) {
    }

    HpxWatchState(String server, BiConsumer<String, Throwable> exceptionHandler) {
        this(server, exceptionHandler, System::nanoTime);
    }

    /** {@code clock}: {@link System#nanoTime()}, but a test's. */
    HpxWatchState(String server, BiConsumer<String, Throwable> exceptionHandler, LongSupplier clock) {
        this.server = server;
        this.exceptionHandler = exceptionHandler;
        this.clock = clock;
        this.health = HpxHealth.down("Not yet connected to HPX server " + server, null);
    }

    HpxHealth health() {
        return stopped ? HpxHealth.down("Stopped: not listening for the broadcasts of HPX server " + server, null) : health;
    }

    /**
     * The consumer stopped: for good, whatever a callback still under way says (a watch's close does not wait for
     * one that runs).
     */
    void stopped() {
        stopped = true;
    }

    /** Connections made again after one was lost. */
    long reconnects() {
        return reconnects.get();
    }

    /** The server sent a broadcast: the connection loss that follows is expected. */
    void announced(ServerCommand command) {
        announced.set(new Announcement(command, clock.getAsLong()));
    }

    @Override
    public void onConnected(String sessionId) {
        health = HpxHealth.up("Listening for the broadcasts of HPX server " + server);
        if (connectedBefore) {
            reconnects.incrementAndGet();
        }
        connectedBefore = true;
        if (outage == Outage.NONE) {
            LOG.debug("Listening for the broadcasts of HPX server {}", server);
        } else {
            LOG.info("Reconnected to HPX server {}", server);
        }
        outage = Outage.NONE;
        announced.set(null);
    }

    @Override
    public void onDisconnected(HpxException cause, Duration retryIn) {
        String message = HpxHealth.unavailable(server, cause).message() + "; next attempt in " + retryIn.toMillis() + " ms";
        health = HpxHealth.down(message, cause);
        Outage now = cause instanceof HpxAuthException ? Outage.REFUSED : Outage.UNREACHABLE;
        if (now == outage) {
            LOG.debug("Still no connection: {}", message);
            return;
        }
        outage = now;
        Announcement expected = announced.getAndSet(null);
        if (now == Outage.UNREACHABLE && expected != null
                && clock.getAsLong() - expected.at() <= ANNOUNCES_FOR.toNanos()) {
            LOG.info("HPX server {} announced {}: reconnecting in {} ms", server, expected.command().wireName(),
                    retryIn.toMillis());
        } else {
            exceptionHandler.accept(message, cause);
        }
    }

    @Override
    public void onEnded(HpxException cause) {
        String message = "No longer listening for the broadcasts of HPX server " + server + ": " + cause.getMessage();
        health = HpxHealth.down(message, cause);
        exceptionHandler.accept(message, cause);
    }
}
