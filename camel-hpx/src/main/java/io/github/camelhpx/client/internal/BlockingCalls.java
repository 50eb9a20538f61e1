package io.github.camelhpx.client.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final Set<Queued<?>> queued = ConcurrentHashMap.newKeySet();
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
        Queued<T> next = new Queued<>(call, deadline);
        queued.add(next);
        try {
            sweeper.by(deadline.at());
            executor.execute(next);
        } catch (RejectedExecutionException e) {
            next.take();
            next.result.completeExceptionally(new HpxConnectionException(sockets.isClosed() ? "HPX client is closed"
                    : "too many HPX calls queued for the client's threads: " + e.getMessage(), e));
        }
        return next.result;
    }

    /** Ends the queued calls whose deadline has passed; a running one ends by its own waits. */
    private long sweep(long now) {
        long next = Sweeper.NONE;
        for (Queued<?> call : queued) {
            long at = call.deadline.at();
            if (at - now <= 0) {
                call.expire();
            } else if (next == Sweeper.NONE || at - next < 0) {
                next = at;
            }
        }
        return next;
    }

    /** An asynchronous call waiting for a client thread: the thread or the deadline, whichever comes first, takes it. */
    private final class Queued<T> implements Runnable {

        private final Supplier<T> call;
        private final Deadline deadline;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicBoolean taken = new AtomicBoolean();

        Queued(Supplier<T> call, Deadline deadline) {
            this.call = call;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            if (!take()) {
                return;
            }
            try {
                result.complete(call.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void expire() {
            if (take()) {
                result.completeExceptionally(deadline.expired(Link.address(settings), "waiting for a client thread",
                        null));
            }
        }

        private boolean take() {
            if (!taken.compareAndSet(false, true)) {
                return false;
            }
            queued.remove(this);
            return true;
        }
    }
}
