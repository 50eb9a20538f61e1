package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxConnectionException;

/**
 * Runs G1 calls, which hold a thread for their whole lock-step exchange: on the calling thread, or for an
 * asynchronous call on the client's executor, where a call still queued for a thread at its deadline ends then.
 */
final class BlockingCalls {

    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final ClientSettings settings;
    private final OpenSockets sockets;

    BlockingCalls(Executor executor, ScheduledExecutorService timer, ClientSettings settings, OpenSockets sockets) {
        this.executor = executor;
        this.timer = timer;
        this.settings = settings;
        this.sockets = sockets;
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
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        try {
            executor.execute(() -> {
                if (!started.compareAndSet(false, true)) {
                    return;
                }
                try {
                    result.complete(call.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            // A call still queued for a thread at its deadline ends then; a running one ends by its own waits.
            ScheduledFuture<?> expiry = timer.schedule(() -> {
                if (started.compareAndSet(false, true)) {
                    result.completeExceptionally(deadline.expired(Link.address(settings), "waiting for a client thread",
                            null));
                }
            }, Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
            result.whenComplete((done, failure) -> expiry.cancel(false));
            return result;
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new HpxConnectionException(sockets.isClosed()
                    ? "HPX client is closed" : "too many HPX calls queued for the client's threads: " + e.getMessage(), e));
        }
    }
}
