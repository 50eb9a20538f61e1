package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import io.github.camelhpx.client.BroadcastWatch;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.Welcome;

/**
 * How a client reaches its server in the generation the server speaks: a pool of lock-step G1 connections, or
 * multiplexed G2 connections. A call's work gets an {@link Exchanger} from it and runs in the session logic,
 * which does not know the generation.
 */
public interface Transport extends AutoCloseable {

    HpxProtocol protocol();

    /**
     * Runs one call's work with an exchanger lent for it, retrying it once when a connection the server had
     * closed failed it before any byte of a reply (if the client's settings allow; in G2 also when nothing of it was
     * sent). With {@code async} the work never waits on the calling thread (G2 writes from that thread when it can
     * without waiting, and waits for a free slot or a connect on the executor); without, the returned future is
     * complete or completes without the caller's thread being needed.
     */
    <T> CompletableFuture<T> run(Function<Exchanger, CompletableFuture<T>> work, Deadline deadline, boolean async);

    /**
     * A connection of its own, outside the pool, for a {@link BroadcastWatch}; its socket goes to {@code attempt}
     * first, so that closing it aborts the connect and the welcome.
     */
    ServerConnection openListening(Deadline deadline, Consumer<Socket> attempt);

    /** The welcome of the newest connection, or {@code null}. */
    Welcome lastWelcome();

    int openConnections();

    /** Of the open connections, those carrying a call now. */
    int busyConnections();


    /** The settings of the server this transport talks to. */
    ClientSettings settings();

    /**
     * Takes no more calls (the client moved to another server) and closes the connections as their calls end;
     * {@link #drained()} tells when none is left.
     */
    void retire();

    /**
     * Whether a retired transport has nothing left to close: no connection open, and none being opened for a call
     * that took it before the move.
     */
    boolean drained();

    @Override
    void close();
}
