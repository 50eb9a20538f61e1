package io.github.camelhpx.client.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.HpxSessionLostException;
import io.github.camelhpx.client.ServerCommand;

/**
 * The sessions of other users than the client's own, for a gateway that serves many users through one client: a
 * login that makes a session and hands its id out, requests in a given session, and its logout. None of them
 * becomes the client's session, and the client never logs in again for one: a request whose session the server
 * lost fails with {@link HpxSessionLostException}.
 * <p>
 * G2 does all of it over the client's pool: HPX 1.0 sessions are not bound to a socket. HPX 0.x (G1) ties a
 * session to connections: it keeps a session's state only while a connection whose last message used it is open,
 * and a handshake, or a message in a session it does not know, overwrites the state of the session its connection
 * last carried (user and settings). So in G1 a user's session never goes over the pool, whose connections go from
 * session to session: it has a connection of its own, opened by its login (or by its first request when the id
 * was made elsewhere), that carries its requests one at a time and is closed by its logout. A connection never
 * carries another session than its own, so no request can change another user's session.
 */
public final class UserSessions implements AutoCloseable {

    private static final int LOGGED_OUT_KEPT = 4096;

    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final OpenSockets sockets;
    private final BlockingCalls calls;
    // G1: each session's own connection. The keys are bearer credentials: never logged.
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    // G1: the sessions logged out here, the latest LOGGED_OUT_KEPT. A request in one fails without being sent: a new
    // connection carrying it could reach the server before the server has seen the logout's close, and would then
    // keep the session alive.
    private final Set<String> loggedOut = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > LOGGED_OUT_KEPT;
                }
            }));

    public UserSessions(ClientSettings settings, BroadcastDispatcher broadcasts, OpenSockets sockets,
            Executor executor, ScheduledExecutorService timer) {
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.sockets = sockets;
        this.calls = new BlockingCalls(new Handoff(executor, timer, sockets, () -> Link.address(settings)));
    }

    /** A G1 session's connection; the lock keeps its requests one at a time, each waiting no longer than its deadline. */
    private record Held(HpxConnection connection, ReentrantLock lock) {
    }

    /** Logs {@code credentials} in; the reply's {@code session} is the new session's id. */
    public CompletableFuture<Envelope> login(Transport transport, Credentials credentials, Deadline deadline,
            boolean async) {
        JsonNode data = Credentials.handshakeData(credentials);
        if (transport.protocol() == HpxProtocol.G2) {
            return transport.run(ex -> ex.exchange("handshake", "", data, ReplyReading.TREE, deadline)
                    .thenApply(UserSessions::loggedIn), deadline, async);
        }
        return calls.run(() -> {
            HpxConnection connection = open(transport, deadline);
            try {
                Envelope reply = loggedIn(await(connection.exchange("handshake", "", data, ReplyReading.TREE, deadline)));
                held.put(reply.session(), new Held(connection, new ReentrantLock()));
                if (sockets.isClosed()) {
                    connection.close();
                    throw new HpxConnectionException("HPX client is closed", null);
                }
                return reply;
            } catch (RuntimeException e) {
                connection.close();
                throw e;
            } finally {
                broadcasts.deliverRecorded();
            }
        }, deadline, async);
    }

    /** A request of function calls in {@code session}. */
    public CompletableFuture<Envelope> call(Transport transport, String session, JsonNode data, ReplyReading reading,
            Deadline deadline, boolean async) {
        if (transport.protocol() == HpxProtocol.G2) {
            return transport.run(ex -> ex.exchange("call", session, data, reading, deadline)
                    .thenApply(reply -> inSession(reply, HpxProtocol.G2)), deadline, async);
        }
        return calls.run(() -> callHeld(transport, session, data, reading, deadline), deadline, async);
    }

    /** Logs {@code session} out: G2's {@code dropauth}; G1 has none, and closes the session's connection instead. */
    public CompletableFuture<Envelope> logout(Transport transport, String session, Deadline deadline, boolean async) {
        if (transport.protocol() == HpxProtocol.G2) {
            return transport.run(ex -> ex.exchange(ServerCommand.DROP_AUTH.wireName(), session, null, ReplyReading.TREE,
                    deadline).thenApply(reply -> {
                        Replies.requireNoError(reply);
                        return reply;
                    }), deadline, async);
        }
        return calls.run(() -> {
            loggedOut.add(session);
            Held line = held.remove(session);
            if (line != null) {
                // After the request it may be carrying, so that the request ends as the server answers it.
                boolean locked = tryLock(line, deadline);
                line.connection().close();
                if (locked) {
                    line.lock().unlock();
                }
            }
            return null;
        }, deadline, async);
    }

    /** G1: the connections of the sessions held. */
    public int openConnections() {
        return held.size();
    }

    @Override
    public void close() {
        held.values().forEach(line -> line.connection().close());
        held.clear();
    }

    private Envelope callHeld(Transport transport, String session, JsonNode data, ReplyReading reading, Deadline deadline) {
        boolean retried = false;
        while (true) {
            Held line = line(transport, session, deadline);
            if (!tryLock(line, deadline)) {
                throw deadline.expired(Link.address(settings), "waiting for the session's connection", null);
            }
            try {
                if (loggedOut.contains(session)) {
                    // Logged out since the look, maybe before this connection was held, which the logout then missed.
                    line.connection().close();
                    throw new HpxSessionLostException(HpxAuthException.CODE);
                }
                HpxConnectionException unusable = line.connection().unusable();
                if (unusable != null) {
                    held.remove(session, line);
                    if (!line.connection().satIdleBefore(deadline)) {
                        // Opened for this call: the next one would fare no better.
                        throw unusable;
                    }
                    // Closed by a failure, or by the server after a broadcast (read just now): a new one is tried.
                    continue;
                }
                boolean reused = line.connection().satIdleBefore(deadline);
                try {
                    return inSession(await(line.connection().exchange("call", session, data, reading, deadline)),
                            HpxProtocol.G1);
                } catch (HpxServerDisconnectedException gone) {
                    // Closed by the server while it sat idle: the request reached no live peer.
                    if (gone.isMidMessage() || !reused || retried || !settings.retryOnConnectionFailure()) {
                        throw gone;
                    }
                    retried = true;
                } catch (HpxSessionLostException lost) {
                    // The server answered as to a login: the connection now holds a session nobody uses.
                    line.connection().close();
                    throw lost;
                }
            } finally {
                if (line.connection().isClosed()) {
                    held.remove(session, line);
                }
                line.lock().unlock();
                // Let go of first: a listener may call in this session.
                broadcasts.deliverRecorded();
            }
        }
    }

    /** The session's connection; a new one when it has none, for an id the client did not log in itself. */
    private Held line(Transport transport, String session, Deadline deadline) {
        requireNotLoggedOut(session);
        Held line = held.get(session);
        if (line != null) {
            return line;
        }
        Held opened = new Held(open(transport, deadline), new ReentrantLock());
        line = held.putIfAbsent(session, opened);
        if (line != null) {
            opened.connection().close();
            return line;
        }
        if (sockets.isClosed()) {
            held.remove(session, opened);
            opened.connection().close();
            throw new HpxConnectionException("HPX client is closed", null);
        }
        return opened;
    }

    /** Checked before a connection is opened for the session (callHeld looks again once it holds the lock). */
    private void requireNotLoggedOut(String session) {
        if (loggedOut.contains(session)) {
            throw new HpxSessionLostException(HpxAuthException.CODE);
        }
    }

    /** A connection to the server {@code transport} talks to: the client's current one when this request began. */
    private HpxConnection open(Transport transport, Deadline deadline) {
        ClientSettings server = transport.settings();
        return new HpxConnection(sockets.open(server, deadline).speaking(HpxProtocol.G1, server), server, broadcasts);
    }

    private static boolean tryLock(Held line, Deadline deadline) {
        try {
            return line.lock().tryLock(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HpxConnectionException("interrupted while waiting for the session's connection", e);
        }
    }

    private static Envelope loggedIn(Envelope reply) {
        if (reply.isAuthenticated() && !reply.session().isEmpty()) {
            return reply;
        }
        throw Replies.failure(reply);
    }

    /** The reply to a request in a given session: a lost session fails typed, as does any message-level error. */
    private static Envelope inSession(Envelope reply, HpxProtocol protocol) {
        if (Replies.isSessionLost(reply, protocol)) {
            throw new HpxSessionLostException(reply.hasError() ? reply.error().code() : HpxAuthException.CODE);
        }
        if (reply.hasError()) {
            throw Replies.failure(reply);
        }
        return reply;
    }

    /** The result of a G1 exchange, which is complete when it returns; its failure as it is. */
    private static Envelope await(CompletableFuture<Envelope> exchange) {
        try {
            return exchange.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof HpxException failure ? failure : e;
        }
    }
}
