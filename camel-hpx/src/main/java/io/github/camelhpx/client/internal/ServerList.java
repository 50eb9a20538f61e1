package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers a client may use, in order of preference, and the transport to the one it is on. The first
 * connection goes to the first server that answers. When a connection to the current server cannot be opened,
 * the client moves to the next server that answers (after the last comes the first); it stays there while that
 * server can be reached, unless failback is on: then, every {@code failbackInterval}, it opens a connection to
 * each server before the current one, in order, and moves to the first that answers.
 * <p>
 * Each server gets a transport of its own, made from its first connection in the generation its welcome tells,
 * so that a list may mix generations. A move forgets the session (another server does not know it): the next
 * call logs in on the new server. The transport moved from is retired: its connections close as their calls end.
 */
public final class ServerList implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerList.class);

    /**
     * A transport, the server it talks to and the client's session there; {@code rank} is the server's place in the
     * list, 0 the first.
     */
    public record ServerTransport(int rank, ServerAddress server, Transport transport, SessionKeeper sessions) {
    }

    /** Makes the transport for a server, in the generation its first connection speaks. */
    @FunctionalInterface
    public interface Transports {
        Transport make(HpxProtocol protocol, ClientSettings settings, Link first);
    }

    private final List<ServerAddress> servers;
    private final ClientSettings settings;
    private final OpenSockets sockets;
    private final Transports transports;
    // The session for the next transport made: the one the client starts with (maybe with an id it was given) for
    // the first, a new one for every later (another server, or the same one restarted in another generation).
    private final AtomicReference<SessionKeeper> nextSessions;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final Duration failbackInterval;
    private final Runnable onMove;
    private final ReentrantLock moving = new ReentrantLock();
    private final Set<Transport> retired = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile ServerTransport current;
    private ScheduledFuture<?> failback;

    /**
     * @param failbackInterval how often to try the servers before the current one; {@code null}: never
     * @param onMove           told after each move, e.g. for connections outside the transports to follow
     */
    public ServerList(List<ServerAddress> servers, ClientSettings settings, OpenSockets sockets, Transports transports,
            SessionKeeper sessions, ScheduledExecutorService timer, Executor executor, Duration failbackInterval,
            Runnable onMove) {
        this.servers = List.copyOf(servers);
        this.settings = settings;
        this.sockets = sockets;
        this.transports = transports;
        this.nextSessions = new AtomicReference<>(sessions);
        this.timer = timer;
        this.executor = executor;
        this.failbackInterval = failbackInterval;
        this.onMove = onMove;
        if (settings.protocol() != HpxProtocol.AUTO) {
            // The generation is known: the transport opens its first connection itself, on the first call.
            ServerAddress first = this.servers.get(0);
            current = new ServerTransport(0, first, transports.make(settings.protocol(), settings.at(first), null),
                    sessionsForNext());
        }
    }

    /** Whether there is a server to move to. */
    public boolean hasAlternatives() {
        return servers.size() > 1;
    }

    /** The transport the client is on, or {@code null} before its first connection. */
    public ServerTransport current() {
        return current;
    }

    /** The transport the client is on, after opening a first connection (its socket to {@code attempt}) if need be. */
    public ServerTransport current(Deadline deadline, Consumer<Socket> attempt) {
        ServerTransport on = current;
        if (on != null) {
            return on;
        }
        lock(deadline, "waiting for the first connection");
        try {
            if (current == null) {
                current = open(firstToLast(), null, deadline, attempt);
                // The first servers may be down at the start: with failback, the client comes back to them too.
                followFailback(current);
            }
            return current;
        } finally {
            moving.unlock();
        }
    }

    /**
     * Whether a call that ended with {@code failure} should move on: the connection it needed could not be
     * opened, and there is another server.
     */
    public boolean cannotReach(Throwable failure) {
        return hasAlternatives() && failure instanceof HpxException && sockets.isFailedOpen(failure);
    }

    /**
     * Moves from {@code failed}, whose server could not be reached ({@code cause}), to the next server that
     * answers, and returns the transport to it; if another call has moved meanwhile, returns where it went.
     *
     * @throws HpxException the last server's failure (the others' suppressed in it) when none answers in time
     */
    public ServerTransport moveFrom(ServerTransport failed, HpxException cause, Deadline deadline,
            Consumer<Socket> attempt) {
        lock(deadline, "waiting for another call moving to the next server");
        try {
            if (current != failed) {
                return current;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 1; i < servers.size(); i++) {
                order.add((failed.rank() + i) % servers.size());
            }
            if (failbackInterval != null) {
                // The earlier servers are preferred: with failback, the first that answers is the one to be on.
                order.sort(null);
            }
            ServerTransport next = open(order, cause, deadline, attempt);
            LOG.warn("HPX server {} cannot be reached: moved to {}", failed.server(), next.server());
            moveTo(next);
            return next;
        } finally {
            moving.unlock();
        }
    }

    /**
     * Replaces {@code changed}, whose server now speaks another generation ({@link GenerationChangedException}), with
     * a transport to the same server in the generation its welcome tells, and returns it (a new session: the server
     * was restarted); if another call has done so meanwhile, returns where it went.
     */
    public ServerTransport regenerate(ServerTransport changed, Deadline deadline, Consumer<Socket> attempt) {
        lock(deadline, "waiting for another call following the server's new generation");
        try {
            if (current != changed) {
                return current;
            }
            ServerTransport next = open(List.of(changed.rank()), null, deadline, attempt);
            LOG.warn("HPX server {} now speaks {}, no longer {}: the client follows", changed.server(),
                    next.transport().protocol(), changed.transport().protocol());
            moveTo(next);
            return next;
        } finally {
            moving.unlock();
        }
    }

    @Override
    public void close() {
        moving.lock();
        try {
            if (failback != null) {
                failback.cancel(false);
            }
            ServerTransport on = current;
            if (on != null) {
                on.transport().close();
            }
            retired.forEach(Transport::close);
            retired.clear();
        } finally {
            moving.unlock();
        }
    }

    /** The servers, as {@code host:port,host:port}. */
    @Override
    public String toString() {
        return ServerAddress.join(servers);
    }

    private List<Integer> firstToLast() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            order.add(i);
        }
        return order;
    }

    /** A transport on the first server of {@code order} that answers; {@code earlier}: a failure that came before, or null. */
    private ServerTransport open(List<Integer> order, HpxException earlier, Deadline deadline, Consumer<Socket> attempt) {
        HpxException last = earlier;
        for (int i = 0; i < order.size(); i++) {
            int rank = order.get(i);
            if (sockets.isClosed()) {
                throw new HpxConnectionException("HPX client is closed", last);
            }
            ClientSettings at = settings.at(servers.get(rank));
            try {
                // The last server tried gets what is left of the call: no other comes after it.
                return on(rank, sockets.open(i == order.size() - 1 ? at.alone() : at, deadline, attempt));
            } catch (HpxException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
                if (deadline.remainingNanos() <= 0) {
                    break;
                }
            }
        }
        throw last;
    }

    private ServerTransport on(int rank, Link first) {
        ServerAddress server = servers.get(rank);
        return new ServerTransport(rank, server, transports.make(first.codec.protocol(), settings.at(server), first),
                sessionsForNext());
    }

    private SessionKeeper sessionsForNext() {
        return nextSessions.getAndUpdate(SessionKeeper::forNextServer);
    }

    /** Makes {@code next} current; the caller holds {@code moving}. */
    private void moveTo(ServerTransport next) {
        ServerTransport from = current;
        current = next;
        from.transport().retire();
        retired.removeIf(ServerList::closeIfDrained);
        retired.add(from.transport());
        followFailback(next);
        onMove.run();
    }

    /** Probes the servers before {@code on} while the client is not on the first; the caller holds {@code moving}. */
    private void followFailback(ServerTransport on) {
        if (failbackInterval != null && on.rank() > 0 && failback == null) {
            long every = failbackInterval.toNanos();
            failback = timer.scheduleWithFixedDelay(this::startFailback, every, every, TimeUnit.NANOSECONDS);
        } else if (failback != null && on.rank() == 0) {
            failback.cancel(false);
            failback = null;
        }
    }

    private static boolean closeIfDrained(Transport transport) {
        if (!transport.drained()) {
            return false;
        }
        transport.close();
        return true;
    }

    /** On the timer's thread, which must not wait for a connect: the attempt runs on the client's executor. */
    private void startFailback() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::failBack);
        } catch (RejectedExecutionException e) {
            probing.set(false);
        }
    }

    private void failBack() {
        try {
            ServerTransport from = current;
            for (int rank = 0; rank < from.rank() && !sockets.isClosed(); rank++) {
                ServerAddress preferred = servers.get(rank);
                Link link;
                try {
                    // Its own connect timeout: a probe leaves no call waiting for another server.
                    link = sockets.open(settings.at(preferred).alone(), Deadline.after(settings.connectTimeout()));
                } catch (HpxException e) {
                    LOG.debug("HPX server {} is still away: {}", preferred, e.getMessage());
                    continue;
                }
                moveBack(from, rank, link);
                return;
            }
        } finally {
            probing.set(false);
        }
    }

    private void moveBack(ServerTransport from, int rank, Link link) {
        moving.lock();
        try {
            if (current != from || sockets.isClosed()) {
                link.close();
                return;
            }
            ServerTransport back = on(rank, link);
            LOG.info("HPX server {} answers again: moved back from {}", back.server(), from.server());
            moveTo(back);
        } finally {
            moving.unlock();
        }
    }

    private void lock(Deadline deadline, String phase) {
        try {
            if (!moving.tryLock(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                throw deadline.expired(toString(), phase, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HpxConnectionException("interrupted while connecting", e);
        }
    }
}
