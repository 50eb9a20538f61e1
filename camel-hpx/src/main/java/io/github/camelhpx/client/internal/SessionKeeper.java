package io.github.camelhpx.client.internal;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerCommand;

/**
 * The client's own HPX session on one server: its id, the handshake that makes one (one at a time; whoever asks
 * meanwhile waits for it, and makes its own if that one's connection fails), and forgetting an id the server lost so
 * that the next call makes a new one. HPX sessions are not bound to a socket: any connection to the server can carry
 * any session. Each server the client moves to has a keeper of its own ({@link #forNextServer()}): calls still
 * running on the server it left keep that server's session, and neither server is sent the other's.
 * The sessions of other users that the client logs in are {@link UserSessions}'.
 */
public final class SessionKeeper {

    private final Credentials credentials;
    private final Handoff handoff;
    private final AtomicLong logins;
    private final AtomicLong losses = new AtomicLong();
    private volatile String sessionId;
    private CompletableFuture<String> handshake;

    /** @param handoff where a waiter whose wait another thread ended makes its own handshake */
    public SessionKeeper(Credentials credentials, String sessionId, Handoff handoff) {
        this(credentials, sessionId, handoff, new AtomicLong());
    }

    private SessionKeeper(Credentials credentials, String sessionId, Handoff handoff, AtomicLong logins) {
        this.credentials = credentials;
        this.handoff = handoff;
        this.sessionId = sessionId;
        this.logins = logins;
    }

    /** The keeper for another server: the same credentials, no session yet, and the logins counted together. */
    public SessionKeeper forNextServer() {
        return new SessionKeeper(credentials, null, handoff, logins);
    }

    /** The current session id, or {@code null} before the first handshake. */
    public String current() {
        return sessionId;
    }

    /**
     * How often this server said it no longer knew the session: it expired, or the server restarted, which forgets its
     * commands too. A logout or {@code requestauth} is no loss.
     */
    public long losses() {
        return losses.get();
    }

    /** Handshakes that made a session, the first and each renewal, on every server. */
    public long logins() {
        return logins.get();
    }

    /** The session id, after a handshake over {@code exchanger} when there is none yet. */
    public CompletableFuture<String> session(Exchanger exchanger, Deadline deadline) {
        String current = sessionId;
        if (current != null) {
            return CompletableFuture.completedFuture(current);
        }
        CompletableFuture<String> made;
        CompletableFuture<String> running;
        synchronized (this) {
            if (sessionId != null) {
                return CompletableFuture.completedFuture(sessionId);
            }
            running = handshake;
            if (running == null) {
                made = new CompletableFuture<>();
                handshake = made;
            } else {
                made = null;
            }
        }
        if (running != null) {
            // Outside the monitor: a G1 await blocks, and the handshake needs the monitor to settle.
            Thread caller = Thread.currentThread();
            AtomicBoolean returned = new AtomicBoolean();
            CompletableFuture<String> waited = exchanger.await(running, deadline).exceptionallyCompose(failure -> {
                // Run as the wait was set up, on this call's thread (a G1 await has already ended), or later, on
                // whichever thread ended the wait.
                boolean inline = Thread.currentThread() == caller && !returned.get();
                if (!brokeElsewhere(running) || deadline.remainingNanos() <= 0 || inline && caller.isInterrupted()) {
                    return CompletableFuture.failedFuture(failure instanceof CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                }
                // That handshake's connection broke, or its caller's deadline passed: not this call's failure, which
                // makes the session over its own connection, from its own thread: the one that ended the wait (the
                // timer, a G2 reader) must not open connections or wait for a request slot.
                if (inline) {
                    return session(exchanger, deadline);
                }
                return handoff.submit(() -> session(exchanger, deadline), deadline);
            });
            returned.set(true);
            return waited;
        }
        try {
            exchanger.exchange("handshake", "", Credentials.handshakeData(credentials), ReplyReading.TREE, deadline)
                    .whenComplete((reply, failure) -> settle(made, reply, failure));
        } catch (RuntimeException e) {
            // Settled all the same: a handshake left running would keep every later call waiting for it.
            settle(made, null, e);
        }
        return made;
    }

    /**
     * Whether {@code handshake} itself failed on its connection, its caller's timeout included (rather than this
     * caller's wait for it: an interrupt, a closed client), so that a new one over another connection may succeed.
     */
    private static boolean brokeElsewhere(CompletableFuture<String> handshake) {
        try {
            handshake.getNow(null);
            return false;
        } catch (CompletionException e) {
            // A refusal for lack of room is no break: a handshake of each waiter would only be refused too.
            return e.getCause() instanceof HpxConnectionException && !(e.getCause() instanceof HpxClientBusyException);
        } catch (CancellationException e) {
            return false;
        }
    }

    private void settle(CompletableFuture<String> made, Envelope reply, Throwable failure) {
        String id = null;
        Throwable error = failure instanceof CompletionException ? failure.getCause() : failure;
        if (error == null) {
            if (reply.isAuthenticated() && !reply.session().isEmpty()) {
                id = reply.session();
            } else {
                error = Replies.failure(reply);
            }
        }
        synchronized (this) {
            handshake = null;
            if (id != null) {
                sessionId = id;
            }
        }
        if (id != null) {
            logins.incrementAndGet();
            made.complete(id);
        } else {
            made.completeExceptionally(error);
        }
    }

    /** One request in the session, establishing the session first and renewing it once if the server lost it. */
    public CompletableFuture<Envelope> inSession(Exchanger ex, String command, JsonNode data, ReplyReading reading,
            Deadline deadline) {
        return inSession(ex, command, data, reading, deadline, true, true);
    }

    /**
     * One request in the session, establishing the session first if there is none; if the server lost it, the request
     * fails (counted as a loss), and is not sent again in a new one.
     */
    public CompletableFuture<Envelope> inSessionAsItIs(Exchanger ex, String command, JsonNode data,
            ReplyReading reading, Deadline deadline) {
        return inSession(ex, command, data, reading, deadline, true, false);
    }

    /**
     * {@code forget}: the server's loss of the session is forgotten and counted (not for a renewed request, which
     * fails and keeps its new session: the next call renews it if need be, one login a call); {@code renew}: the
     * request is then sent again in a new session.
     */
    private CompletableFuture<Envelope> inSession(Exchanger ex, String command, JsonNode data, ReplyReading reading,
            Deadline deadline, boolean forget, boolean renew) {
        return session(ex, deadline).thenCompose(session -> ex.exchange(command, session, data, reading, deadline)
                .thenCompose(reply -> {
                    if (forget && Replies.isSessionLost(reply, ex.protocol())) {
                        lost(session);
                        if (renew) {
                            return inSession(ex, command, data, reading, deadline, false, false);
                        }
                    }
                    return answered(ex, reply);
                }));
    }

    /** The reply, or the failure it reports. */
    private static CompletableFuture<Envelope> answered(Exchanger ex, Envelope reply) {
        if (reply.hasError()) {
            ex.serverError();
        }
        if (reply.hasError() || reply.isAuthenticated()) {
            return CompletableFuture.failedFuture(Replies.failure(reply));
        }
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * {@code requestauth}: asks for the server's info (G1: its welcome again), then logs in anew; the old session
     * stays valid on the server. Without a session yet, only the login.
     */
    public CompletableFuture<Envelope> requestAuth(Exchanger ex, Deadline deadline) {
        String current = sessionId;
        CompletableFuture<Envelope> info = CompletableFuture.completedFuture(null);
        if (current != null) {
            // G2 sends it outside any session, as the web client does; G1 within the session it leaves.
            String session = ex.protocol() == HpxProtocol.G2 ? "" : current;
            info = ex.exchange(ServerCommand.REQUEST_AUTH.wireName(), session, null, ReplyReading.TREE, deadline)
                    .thenApply(reply -> {
                        if (reply.welcome().isPresent()) {
                            return reply;
                        }
                        // An expired G1 session gets 408 even here: it is left all the same.
                        if (!Replies.isSessionLost(reply, ex.protocol())) {
                            Replies.requireNoError(reply);
                        }
                        return null;
                    });
        }
        return info.thenCompose(reply -> {
            forget(current);
            return session(ex, deadline).thenApply(session ->
                    reply != null ? reply : new Envelope(session, "", JsonNodeFactory.instance.nullNode(), null, null));
        });
    }

    /** {@code dropauth}: logs out (G2); G1 has no logout, so the session is only forgotten here. */
    public CompletableFuture<Envelope> dropAuth(Exchanger ex, Deadline deadline) {
        String current = sessionId;
        if (ex.protocol() == HpxProtocol.G1) {
            forget(current);
            return CompletableFuture.completedFuture(null);
        }
        // Before it is sent: a call's answer that the server lost the session, read before this one's, is no loss.
        forget(current);
        return ex.exchange(ServerCommand.DROP_AUTH.wireName(), current == null ? "" : current, null, ReplyReading.TREE,
                deadline).thenApply(reply -> {
                    Replies.requireNoError(reply);
                    return reply;
                });
    }

    /**
     * The server said it no longer knows {@code session}: forgotten, and counted as a loss, if it is still the current
     * id (a late answer for a session replaced since, or logged out, is no new loss).
     */
    private void lost(String session) {
        synchronized (this) {
            if (session != null && session.equals(sessionId)) {
                sessionId = null;
                losses.incrementAndGet();
            }
        }
    }

    /** Forgets {@code stale} if it is still the current id: the next call authenticates again. */
    public void forget(String stale) {
        synchronized (this) {
            if (Objects.equals(sessionId, stale)) {
                sessionId = null;
            }
        }
    }
}
