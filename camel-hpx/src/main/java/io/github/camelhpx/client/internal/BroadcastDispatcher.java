package io.github.camelhpx.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.BroadcastListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands broadcasts to the listeners, once per server event.
 * <p>
 * The server sends a quit or restart broadcast on every open connection, then closes them all. Each connection
 * records the epoch it was opened in; the first broadcast from an epoch is delivered and starts a new epoch,
 * and the copies the other connections of the old epoch carry are dropped.
 */
public final class BroadcastDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastDispatcher.class);

    private final List<BroadcastListener> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<String> session;
    private long epoch;
    private long lastDeliveredEpoch = -1;

    /**
     * @param session the client's session, for a broadcast that names none: a G2 server need not tie a connection
     *                to a session, so its broadcast may come with an empty one
     */
    public BroadcastDispatcher(Supplier<String> session) {
        this.session = session;
    }

    synchronized long epoch() {
        return epoch;
    }

    public AutoCloseable add(BroadcastListener listener) {
        listeners.add(listener);
        return () -> remove(listener);
    }

    public void remove(BroadcastListener listener) {
        listeners.remove(listener);
    }

    /** Delivers a broadcast read on a connection of {@code connectionEpoch}; returns the connection's new epoch. */
    long dispatch(long connectionEpoch, Broadcast received) {
        String current = session.get();
        Broadcast broadcast = received.sessionId().isEmpty() && current != null
                ? new Broadcast(received.command(), received.data(), received.serverName(), current, received.server(),
                        received.protocol())
                : received;
        long newEpoch;
        synchronized (this) {
            if (connectionEpoch <= lastDeliveredEpoch) {
                LOG.debug("Dropping a copy of an HPX broadcast already delivered: {}", broadcast.command());
                // The connection has now seen that event too: its next broadcast is a new one.
                return epoch;
            }
            lastDeliveredEpoch = epoch;
            newEpoch = ++epoch;
        }
        for (BroadcastListener listener : listeners) {
            try {
                listener.onBroadcast(broadcast);
            } catch (RuntimeException e) {
                LOG.warn("HPX broadcast listener {} failed", listener, e);
            }
        }
        return newEpoch;
    }
}
