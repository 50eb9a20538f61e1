package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs G1 calls, which hold a thread for their whole lock-step exchange: on the calling thread, or for an
 * asynchronous call on the client's executor, where a call still queued for a thread at its deadline ends then.
 */
final class BlockingCalls {

    private final Handoff handoff;

    BlockingCalls(Handoff handoff) {
        this.handoff = handoff;
    }

    /** Runs {@code call}, typed failures as a failed future; with {@code async} never on the calling thread. */
    <T> CompletableFuture<T> run(Supplier<T> call, Deadline deadline, boolean async) {
        if (!async) {
            try {
                return CompletableFuture.completedFuture(call.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return handoff.submit(() -> CompletableFuture.completedFuture(call.get()), deadline);
    }
}
