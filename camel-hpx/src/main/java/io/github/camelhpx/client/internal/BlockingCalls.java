package io.github.camelhpx.client.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxConnectionException;

/**
 * Runs G1 calls, which hold a thread for their whole lock-step exchange: on the calling thread, or for an
 * asynchronous call on the client's executor, where a call still queued for a thread at its deadline ends then.
 */
final class BlockingCalls {

    private final Executor executor;
    private final ClientSettings settings;
    private final OpenSockets sockets;
    private final Set<QueuedWork<?>> queued = ConcurrentHashMap.newKeySet();
    private final Sweeper sweeper;

    BlockingCalls(Executor executor, ScheduledExecutorService timer, ClientSettings settings, OpenSockets sockets) {
        this.executor = executor;
        this.settings = settings;
        this.sockets = sockets;
        this.sweeper = new Sweeper(timer, this::sweep);
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
        QueuedWork<T> next = new QueuedWork<>(() -> CompletableFuture.completedFuture(call.get()), deadline,
                Link.address(settings), queued::remove);
        queued.add(next);
        try {
            sweeper.by(deadline.at());
            executor.execute(next);
        } catch (RejectedExecutionException e) {
            next.refuse(new HpxConnectionException(sockets.isClosed() ? "HPX client is closed"
                    : "too many HPX calls queued for the client's threads: " + e.getMessage(), e));
        }
        return next.result;
    }

    /** Ends the queued calls whose deadline has passed; a running one ends by its own waits. */
    private long sweep(long now) {
        long next = Sweeper.NONE;
        for (QueuedWork<?> call : queued) {
            long at = call.deadline.at();
            if (at - now <= 0) {
                call.expire();
            } else if (next == Sweeper.NONE || at - next < 0) {
                next = at;
            }
        }
        return next;
    }
}
