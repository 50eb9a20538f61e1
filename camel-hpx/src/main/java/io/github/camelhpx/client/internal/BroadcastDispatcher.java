package io.github.camelhpx.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
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
 * open at an event carries a copy of it, and the first broadcast a connection carries is the first event after it
 * was opened (after its last broadcast, on the testkit's connections that outlive one). Each connection says when
 * it was opened ({@code seenUntil}) and a time its broadcast certainly came after ({@code quiet}: when it last had
 * nothing unread). Each delivered event is recorded with both, and when it was read. A broadcast is a copy of a
 * recorded event when that event came after the connection was opened, and no other event can lie between: the
 * recorded event's connection was opened before this one was last quiet, and carried no event before it. Anything
 * else is delivered.
 * <p>
 * So a new event is never taken for a copy, but a copy can be delivered twice: when the connections that carry it
 * were quiet long before it and opened long apart (an idle G1 connection, read when next used, and one opened after
 * its last use). A connection that reads as frames come takes the read's time as quiet, late by the network's
 * latency and the reader's scheduling: only a connection opened within that time after an event could see its own
 * next event dropped.
 */
public final class BroadcastDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(BroadcastDispatcher.class);
    // Events a connection can carry copies of: those since it was opened, a few at most.
    private static final int EVENTS_KEPT = 64;

    /** A delivered event: after {@code quiet}, the first after {@code seenUntil}, and before {@code readAt}. */
    private record Event(long quiet, long seenUntil, long readAt) {
    }

    private final List<BroadcastListener> listeners = new CopyOnWriteArrayList<>();
    /** The client's own, run as an event is read even when the others wait for {@link #deliverRecorded}. */
    private final List<BroadcastListener> immediate = new CopyOnWriteArrayList<>();
    /** Events {@link #record}ed and not yet delivered to {@link #listeners}, in the order read. */
    private final Queue<Broadcast> recorded = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final Supplier<String> session;
    // Per server: the events delivered, oldest first (times in System.nanoTime()).
    private final Map<ServerAddress, Deque<Event>> delivered = new HashMap<>();

    /**
     * @param session the client's session, which every broadcast names: not the one the message came with, which is
     *                another user's where a user's session had the connection (G1), or its last request (G2); a G2
     *                server need not tie a connection to a session at all
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
        immediate.remove(listener);
    }

    /**
     * A listener of the client's own machinery, run on the thread that reads an event, as it reads it: before the
     * other listeners, and even when those wait for {@link #deliverRecorded}.
     */
    void addImmediate(BroadcastListener listener) {
        immediate.add(listener);
    }

    /**
     * {@link #dispatch(long, long, long, Broadcast)} for a connection that reads frames as they come: the read's
     * time stands for when it last had nothing unread.
     */
    long dispatchAsRead(long seenUntil, Broadcast received) {
        long readAt = System.nanoTime();
        return dispatch(seenUntil, readAt, readAt, received);
    }

    /**
     * Delivers a broadcast read on a connection opened (or that carried its last broadcast) at {@code seenUntil},
     * that had nothing unread at {@code quiet}, and read it at {@code readAt}, unless it is a copy of an event
     * delivered already; returns the connection's new {@code seenUntil}: a time after the event it carried, the
     * earliest known (a copy read late must not reach past the next event), but never before the copied event's
     * {@code quiet}, so that the event is not taken for its next one. Listeners run on the calling thread, which
     * must hold no lock. The session {@code received} names is replaced by the client's.
     */
    long dispatch(long seenUntil, long quiet, long readAt, Broadcast received) {
        return accept(seenUntil, quiet, readAt, received, false);
    }

    /**
     * {@link #dispatch} for a thread that holds a G1 connection: the event is told from a copy now, and the
     * {@link #addImmediate immediate} listeners run, but the others only at {@link #deliverRecorded}, once the
     * thread has let go of the connection, which a listener calling the server may need (the only one of a pool).
     */
    long record(long seenUntil, long quiet, long readAt, Broadcast received) {
        return accept(seenUntil, quiet, readAt, received, true);
    }

    /** Whether events {@link #record}ed wait for {@link #deliverRecorded}. */
    boolean hasRecorded() {
        return !recorded.isEmpty();
    }

    /**
     * Delivers the events {@link #record}ed, in the order read, on the calling thread, which must hold no
     * connection and no lock. A thread that finds another delivering leaves them to it: that one goes on until none
     * is left.
     */
    public void deliverRecorded() {
        if (delivering.isHeldByCurrentThread()) {
            // A listener's own call: the delivery under way goes on once the listener returns, in order.
            return;
        }
        while (!recorded.isEmpty() && delivering.tryLock()) {
            try {
                for (Broadcast broadcast = recorded.poll(); broadcast != null; broadcast = recorded.poll()) {
                    notify(listeners, broadcast);
                }
            } finally {
                delivering.unlock();
            }
        }
    }

    private long accept(long seenUntil, long quiet, long readAt, Broadcast received, boolean later) {
        synchronized (this) {
            Deque<Event> events = delivered.computeIfAbsent(received.server(), server -> new ArrayDeque<>());
            for (Event event : events) {
                if (event.quiet() - seenUntil > 0 && event.seenUntil() - quiet <= 0) {
                    LOG.debug("Dropping a copy of an HPX broadcast already delivered: {}", received.command());
                    long after = event.readAt() - readAt < 0 ? event.readAt() : readAt;
                    return event.quiet() - after > 0 ? event.quiet() : after;
                }
            }
            events.addLast(new Event(quiet, seenUntil, readAt));
            if (events.size() > EVENTS_KEPT) {
                events.removeFirst();
            }
        }
        String current = session.get();
        Broadcast broadcast = new Broadcast(received.command(), received.data(), received.serverName(),
                current == null ? "" : current, received.server(), received.protocol());
        notify(immediate, broadcast);
        if (later) {
            recorded.add(broadcast);
        } else {
            notify(listeners, broadcast);
        }
        return readAt;
    }

    private static void notify(List<BroadcastListener> listeners, Broadcast broadcast) {
        for (BroadcastListener listener : listeners) {
            try {
                listener.onBroadcast(broadcast);
            } catch (RuntimeException | Error e) {
                // Also an Error: the reader or watch thread it runs on must go on for the other listeners and calls.
                Fatal.rethrowIfFatal(e);
                LOG.warn("HPX broadcast listener {} failed", listener, e);
            }
        }
    }
}
