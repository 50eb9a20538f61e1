package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerCommand;

/**
 * A way to send one request and get its reply: a lock-step G1 connection, a multiplexed G2 connection, or a
 * G2 pool that picks a connection per request. The session logic is written once against it.
 */
public interface Exchanger {

    HpxProtocol protocol();

    /**
     * Sends a request and completes with its reply, or with the {@link HpxException} that ended it; never after
     * {@code deadline}. A G1 connection does the whole exchange before it returns.
     *
     * @param command {@code handshake}, {@code call} or a {@link ServerCommand}'s wire name
     */
    CompletableFuture<Envelope> exchange(String command, String session, JsonNode data, ReplyReading reading,
            Deadline deadline);

    /**
     * How this exchanger waits for work another caller does (a handshake in progress), never past {@code deadline}
     * (the other's may be later): a lock-step connection blocks its own thread for it, so that the rest of the call
     * goes on there; a multiplexed one composes.
     */
    <T> CompletableFuture<T> await(CompletableFuture<T> other, Deadline deadline);

    /** Told when a reply carried a message-level error. */
    default void serverError() {
    }
}
