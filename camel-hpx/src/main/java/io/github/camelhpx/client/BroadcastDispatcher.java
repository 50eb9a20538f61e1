package io.github.camelhpx.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands broadcasts to the listeners, once per server event.
 * <p>
 * The server sends a quit or restart broadcast on every open connection, then closes them all. Each connection
 * records the epoch it was opened in; the first broadcast from an epoch is delivered and starts a new epoch,
 * and the copies the other connections of the old epoch carry are dropped.
 */
final class BroadcastDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastDispatcher.class);

    private final List<BroadcastListener> listeners = new CopyOnWriteArrayList<>();
    private long epoch;
    private long lastDeliveredEpoch = -1;

    synchronized long epoch() {
        return epoch;
    }

    AutoCloseable add(BroadcastListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Delivers a broadcast read on a connection of {@code connectionEpoch}; returns the connection's new epoch. */
    long dispatch(long connectionEpoch, Broadcast broadcast) {
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
