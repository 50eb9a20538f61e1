package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One G1 socket to an HPX server, used in strict lock-step: a request, then its reply, then the next request
 * (the server cannot handle pipelined messages). Broadcasts that arrive while a reply is awaited are never taken
 * for the reply: they go to the {@link BroadcastDispatcher} once the exchange is over, outside this connection's
 * lock, so that a slow listener cannot hold up its {@link #close()}. Any failure closes the connection, so a late
 * or stray reply can never reach a later caller.
 * <p>
 * Used by one thread at a time; {@link #close()} may come from any thread.
 */
public final class HpxConnection implements ServerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(HpxConnection.class);
    // How long a pooled connection's check may read bytes the server sent unasked: they are already there.
    private static final Duration STRAY_READ = Duration.ofMillis(10);

    private final Link link;
    private final WireCodec codec;
    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    /** Broadcasts read under the lock, for the thread that read them to deliver once it has let go of it. */
    private final List<Heard> heard = new ArrayList<>(1);
    /** For the {@link BroadcastDispatcher}; the connection's user's alone, as {@link #heard} is. */
    private long seenUntil;
    /** A time any broadcast still unread certainly came after: its last request's, or a check that found nothing. */
    private long quietAt;
    private boolean exchanged;
    private boolean answered;
    private long lastAnsweredAt;
    private volatile boolean closed;

    HpxConnection(Link link, ClientSettings settings, BroadcastDispatcher broadcasts) {
        this.link = link;
        this.codec = link.codec;
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.seenUntil = link.openedAt;
        this.quietAt = link.openedAt;
    }

    private record Heard(Broadcast broadcast, long quiet, long readAt) {
    }

    @Override
    public Welcome welcome() {
        return link.welcome;
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G1;
    }

    /**
     * Whether the connection sat idle before the call whose deadline is {@code call} took it: a request went over it
     * before, or the call did not open it (another call, the pool's refill, or the client's start, which opens the
     * first connection to learn the server's generation, may have, even after this call began), so that the server
     * may have left it meanwhile.
     */
    synchronized boolean satIdleBefore(Deadline call) {
        return exchanged || link.openedWithin != call;
    }

    /**
     * Whether a reply came on this connection since {@code borrowedAt}: the server was there during the call, so a
     * request it then left unanswered may have been carried out, and is not sent again.
     */
    synchronized boolean answeredSince(long borrowedAt) {
        return answered && lastAnsweredAt - borrowedAt >= 0;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Sends one message and waits for its reply, skipping (and dispatching) broadcasts; the future is complete
     * when this returns. {@code serverquit} and {@code serverrestart} have no reply in G1: they complete with
     * {@code null} once the server has closed the connection after its broadcast.
     */
    @Override
    public CompletableFuture<Envelope> exchange(String command, String session, JsonNode data, ReplyReading reading,
            Deadline deadline) {
        try {
            return exchangeHeld(command, session, data, reading, deadline);
        } finally {
            deliverHeard();
        }
    }

    private synchronized CompletableFuture<Envelope> exchangeHeld(String command, String session, JsonNode data,
            ReplyReading reading, Deadline deadline) {
        boolean armed = false;
        try {
            exchanged = true;
            // What the server sends after its reply, it sent after it had the request.
            long sentAt = System.nanoTime();
            long remaining = deadline.remainingNanos();
            if (remaining <= 0) {
                // Sent now, it would run on the server for a caller that has been told it timed out.
                throw deadline.expired(Link.address(settings), "waiting to send", null);
            }
            // The write too: a server that stops reading fills the socket's buffers and would block it for good.
            link.deadlines.deadline(sentAt + remaining);
            armed = true;
            send(command, session, data, deadline);
            ServerCommand closing = ServerCommand.SERVER_QUIT.wireName().equals(command) ? ServerCommand.SERVER_QUIT
                    : ServerCommand.SERVER_RESTART.wireName().equals(command) ? ServerCommand.SERVER_RESTART : null;
            if (closing != null) {
                awaitClose(closing, deadline);
                return CompletableFuture.completedFuture(null);
            }
            Envelope reply = receive(deadline, reading);
            answered = true;
            lastAnsweredAt = System.nanoTime();
            quietAt = sentAt;
            return CompletableFuture.completedFuture(reply);
        } catch (HpxException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            // An idle connection has no deadline: the watchdog would close it.
            if (armed && !link.deadlines.disarm()) {
                // The watchdog took it first, and closes the socket if it has not yet, late in the call (a reply
                // decoded past the deadline): over TLS no check on borrow would see that, and the next call would fail
                // on it with this call's timeout.
                close();
            }
        }
    }

    /** Blocks this thread: the rest of the call goes on here, on the connection it holds. */
    @Override
    public <T> CompletableFuture<T> await(CompletableFuture<T> other, Deadline deadline) {
        try {
            return CompletableFuture.completedFuture(other.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(deadline.expired(Link.address(settings), "waiting for the session", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new HpxConnectionException("interrupted while waiting for the HPX session", e));
        }
    }

    /** The server may append this batch's validation errors to the next reply on this connection. */
    @Override
    public void serverError() {
        close();
    }

    private void awaitClose(ServerCommand sent, Deadline deadline) {
        int before = heard.size();
        try {
            Envelope unexpected = receive(deadline, ReplyReading.TREE);
            close();
            throw Envelope.anomaly("answered a quit or restart command", unexpected.data());
        } catch (HpxServerDisconnectedException gone) {
            // The server broadcasts the quit or restart on every connection, then closes them. A close without that
            // broadcast is a connection that was dead before the command reached the server: a pooled one it dropped
            // while idle, which the pool's one retry replaces.
            // Its own broadcast: one of another command left unread on a dropped TLS connection, whose available()
            // does not see it, is no proof.
            if (heard.subList(before, heard.size()).stream().noneMatch(h -> h.broadcast().command() == sent)) {
                throw gone;
            }
        }
    }

    @Override
    public void listen() {
        while (true) {
            Envelope message;
            synchronized (this) {
                message = read(null, ReplyReading.TREE);
            }
            Optional<ServerCommand> broadcast = message.broadcast();
            if (broadcast.isEmpty()) {
                close();
                throw Envelope.anomaly("arrived unasked on a listening connection", message.data());
            }
            seenUntil = broadcasts.dispatchAsRead(seenUntil, broadcast(broadcast.get(), message));
        }
    }

    /**
     * Null if the connection can carry another request; else why not, the connection closed. Bytes the server sent
     * unasked mean it is going away (a broadcast, then the close) or is out of step; either way what is there is read
     * (a broadcast reaches the listeners), without waiting for more, and the connection is retired.
     */
    HpxConnectionException unusable() {
        try {
            return unusableHeld();
        } finally {
            deliverHeard();
        }
    }

    private synchronized HpxConnectionException unusableHeld() {
        if (closed) {
            return new HpxConnectionException("HPX connection to " + Link.address(settings) + " is closed", null);
        }
        HpxConnectionException why;
        try {
            if (!codec.hasBufferedBytes() && link.in.available() == 0) {
                // An SSLSocket's available() counts only what it has decrypted: a broadcast may still be there.
                if (!(link.socket instanceof SSLSocket)) {
                    quietAt = System.nanoTime();
                }
                return null;
            }
            Deadline look = Deadline.after(STRAY_READ);
            // Not disarmed after: the connection is closed below whatever the read finds.
            link.deadlines.deadline(System.nanoTime() + look.remainingNanos());
            Envelope stray = receive(look, ReplyReading.TREE);
            LOG.warn("Dropping a message the HPX server sent unasked on an idle connection: {}",
                    Envelope.preview(stray.data()));
            why = new HpxConnectionException("HPX server " + Link.address(settings) + " sent a message unasked on a "
                    + "connection that waited for a request: it is out of step", null);
        } catch (IOException | HpxException e) {
            LOG.debug("Retiring an idle HPX connection the server left: {}", e.getMessage());
            why = new HpxConnectionException("HPX server " + Link.address(settings) + " left a connection that waited "
                    + "for a request: " + e.getMessage(), e);
        }
        close();
        return why;
    }

    private void send(String command, String session, JsonNode data, Deadline deadline) {
        if (closed) {
            throw new HpxServerDisconnectedException("HPX connection is closed");
        }
        GrowableBuffer frame = codec.encode(null, command, session, settings.clientName(), data);
        try {
            // Payload and delimiter in one write: with two, Nagle and delayed ACKs stall every call.
            link.out.write(frame.array(), 0, frame.size());
            link.out.flush();
        } catch (IOException e) {
            close();
            if (link.deadlines.expired()) {
                throw deadline.expired(Link.address(settings), "sending the request", e);
            }
            // Nothing of the request reached a live peer: as safe to send again as a close before the reply.
            throw new HpxServerDisconnectedException("HPX connection to " + Link.address(settings)
                    + " was gone when the request was sent: " + e, false, e);
        }
    }

    /**
     * Reads the next message that is no broadcast, keeping the broadcasts before it for {@link #deliverHeard}.
     * Each was sent at some time since the connection was last quiet: it may have sat unread for long.
     */
    private Envelope receive(Deadline deadline, ReplyReading reading) {
        while (true) {
            Envelope message = read(deadline, reading);
            Optional<ServerCommand> broadcast = message.broadcast();
            if (broadcast.isEmpty()) {
                return message;
            }
            heard.add(new Heard(broadcast(broadcast.get(), message), quietAt, System.nanoTime()));
        }
    }

    private Broadcast broadcast(ServerCommand command, Envelope message) {
        // No session: the dispatcher names the client's own (this connection may carry a user's).
        return new Broadcast(command, message.data(), message.serverName(), "", settings.server(), HpxProtocol.G1);
    }

    /**
     * Hands the broadcasts read under the lock to the dispatcher, on the thread that read them, the lock let go;
     * whoever holds the connection delivers them to the listeners once it has let go of it too
     * ({@link BroadcastDispatcher#deliverRecorded}).
     */
    private void deliverHeard() {
        if (heard.isEmpty()) {
            return;
        }
        List<Heard> delivering;
        synchronized (this) {
            delivering = List.copyOf(heard);
            heard.clear();
        }
        for (Heard one : delivering) {
            seenUntil = broadcasts.record(seenUntil, one.quiet(), one.readAt(), one.broadcast());
        }
    }

    /**
     * Reads the next message, within what the caller armed on the socket ({@link #exchange} once for the request
     * and its reply; nothing for a listening connection); {@code deadline} is the one armed, named when it passes.
     */
    private Envelope read(Deadline deadline, ReplyReading reading) {
        try {
            Envelope message = FailedFrames.read(settings, link, reading, FailedFrames.readFrame(settings, link));
            codec.releaseFrame();
            return message;
        } catch (SocketTimeoutException e) {
            close();
            throw deadline.expired(Link.address(settings), "waiting for the reply", e);
        } catch (SocketException e) {
            boolean closedHere = closed;
            close();
            if (closedHere) {
                // Not the server: the client closed, or a logout closed the session's connection.
                throw new HpxConnectionException("HPX connection to " + Link.address(settings) + " was closed by the"
                        + " client while the call waited for its reply", e);
            }
            if (!codec.hasBufferedBytes()) {
                // A reset before any byte of the reply, typically of a pooled connection the server dropped while
                // it sat idle: like a close at that point, not a failure in the middle of a reply.
                throw new HpxServerDisconnectedException("HPX server " + Link.address(settings)
                        + " reset the connection before replying: " + e.getMessage(), false, e);
            }
            throw Link.transportFailure(settings, e);
        } catch (IOException e) {
            close();
            throw Link.transportFailure(settings, e);
        } catch (RuntimeException | Error e) {
            // Whatever broke the read left the stream in the middle of a frame: the connection cannot go on.
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        link.close();
        synchronized (this) {
            codec.close();
        }
    }
}
