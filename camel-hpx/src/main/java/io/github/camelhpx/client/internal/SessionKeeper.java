package io.github.camelhpx.client.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The client's HPX session: its id, the handshake that makes one (one at a time, whoever asks meanwhile waits
 * for it), and forgetting an id the server lost so that the next call makes a new one. HPX sessions are not
 * bound to a socket: any connection can carry any session.
 */
public final class SessionKeeper {

    private final Credentials credentials;
    private volatile String sessionId;
    private CompletableFuture<String> handshake;

    public SessionKeeper(Credentials credentials, String sessionId) {
        this.credentials = credentials;
        this.sessionId = sessionId;
    }

    /** The current session id, or {@code null} before the first handshake. */
    public String current() {
        return sessionId;
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
            return exchanger.await(running, deadline);
        }
        exchanger.exchange("handshake", "", credentialsData(), ReplyReading.TREE, deadline)
                .whenComplete((reply, failure) -> settle(made, reply, failure));
        return made;
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
            made.complete(id);
        } else {
            made.completeExceptionally(error);
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

    private JsonNode credentialsData() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (credentials != null) {
            data.put("user", credentials.user());
            data.put("password", credentials.password());
        }
        return data;
    }
}
