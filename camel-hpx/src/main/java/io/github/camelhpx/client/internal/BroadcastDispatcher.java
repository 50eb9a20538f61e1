package io.github.camelhpx.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.BroadcastListener;
import io.github.camelhpx.client.ServerAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands broadcasts to the listeners, once per server event.
 * <p>
 * The server sends a quit or restart broadcast on every open connection, then closes them all: every connection
 * that was open at that moment carries a copy. Each delivered event is recorded with a time it certainly came
 * after (its {@code quiet} time: when its connection last had nothing unread). A connection that was already
 * open at a recorded time was open at that event, so the first broadcast it carries after that is the event's
 * copy, and dropped. Anything else is a new event, and delivered. An idle connection read late (a G1 pooled one,
 * checked when next borrowed) only says the event came after its last reply, which keeps connections opened since
 * then (after a restart) out of that event: their next broadcast is delivered, at worst as a second copy when
 * they were opened just before the event. A copy is dropped only when it certainly is one.
 */
public final class BroadcastDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastDispatcher.class);
    // Events a connection can carry copies of: those since it was opened, a few at most.
    private static final int EVENTS_KEPT = 64;

    private final List<BroadcastListener> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<String> session;
    // Per server: the quiet times of the events delivered, oldest first (in System.nanoTime()).
    private final Map<ServerAddress, Deque<Long>> delivered = new HashMap<>();

    /**
     * @param session the client's session, for a broadcast that names none: a G2 server need not tie a connection
     *                to a session, so its broadcast may come with an empty one
     */
    public BroadcastDispatcher(Supplier<String> session) {
        this.session = session;
    }

    public AutoCloseable add(BroadcastListener listener) {
        listeners.add(listener);
        return () -> remove(listener);
    }

    public void remove(BroadcastListener listener) {
        listeners.remove(listener);
    }

    /**
     * Delivers a broadcast read on a connection that has seen every event up to {@code seenUntil} (when it was
     * opened, or the value this returned for its last broadcast), and had nothing unread at {@code quiet}; returns
     * the connection's new {@code seenUntil}. Listeners run on the calling thread, which must hold no lock.
     */
    long dispatch(long seenUntil, long quiet, Broadcast received) {
        long newSeenUntil;
        synchronized (this) {
            Deque<Long> events = delivered.computeIfAbsent(received.server(), server -> new ArrayDeque<>());
            for (long event : events) {
                if (event - seenUntil > 0) {
                    LOG.debug("Dropping a copy of an HPX broadcast already delivered: {}", received.command());
                    return event;
                }
            }
            newSeenUntil = quiet - seenUntil > 0 ? quiet : seenUntil;
            events.addLast(newSeenUntil);
            if (events.size() > EVENTS_KEPT) {
                events.removeFirst();
            }
        }
        String current = session.get();
        Broadcast broadcast = received.sessionId().isEmpty() && current != null
                ? new Broadcast(received.command(), received.data(), received.serverName(), current, received.server(),
                        received.protocol())
                : received;
        for (BroadcastListener listener : listeners) {
            try {
                listener.onBroadcast(broadcast);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // Also an Error: the reader or watch thread it runs on must go on for the other listeners and calls.
                LOG.warn("HPX broadcast listener {} failed", listener, e);
            }
        }
        return newSeenUntil;
    }
}
