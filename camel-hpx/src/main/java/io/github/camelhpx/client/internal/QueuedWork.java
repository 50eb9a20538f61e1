package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Work waiting for a thread of an executor: the thread or the deadline, whichever comes first, takes it. Work
 * whose deadline passed in the queue never starts (no connect, no request for a caller that is gone).
 */
final class QueuedWork<T> implements Runnable {

    final Deadline deadline;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Supplier<CompletableFuture<T>> work;
    private final String server;
    private final Consumer<QueuedWork<T>> onTaken;
    private final AtomicBoolean taken = new AtomicBoolean();

    /** @param onTaken told once, when a thread or the deadline takes the work */
    QueuedWork(Supplier<CompletableFuture<T>> work, Deadline deadline, String server, Consumer<QueuedWork<T>> onTaken) {
        this.work = work;
        this.deadline = deadline;
        this.server = server;
        this.onTaken = onTaken;
    }

    @Override
    public void run() {
        if (!take()) {
            return;
        }
        try {
            work.get().whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            if (e instanceof Error) {
                throw e;
            }
        }
    }

    /** Ends the work at its deadline if no thread has taken it yet. */
    void expire() {
        if (take()) {
            result.completeExceptionally(deadline.expired(server, "waiting for a client thread", null));
        }
    }

    /** Ends the work with {@code failure} if no thread has taken it yet (the executor refused it). */
    void refuse(Throwable failure) {
        if (take()) {
            result.completeExceptionally(failure);
        }
    }

    private boolean take() {
        if (!taken.compareAndSet(false, true)) {
            return false;
        }
        onTaken.accept(this);
        return true;
    }
}
