package io.github.camelhpx.client.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxConnectionException;

/**
 * Hands work to the client's executor: a G1 asynchronous call, which holds a thread for its whole exchange, or
 * what a G2 reader or a caller's thread must not do itself (connect, write a request whose slot a reader freed, write
 * what a caller's thread left queued, fail another caller's request); the work may wait there
 * ({@link Deadline#mayWaitHere}). Work still queued at its deadline ends then and never starts; one {@link Sweeper}
 * times every queued work, so a hand-over wakes no timer thread.
 */
public final class Handoff {

    private final Executor executor;
    private final OpenSockets sockets;
    private final Supplier<String> server;
    private final Set<Queued<?>> queued = ConcurrentHashMap.newKeySet();
    private final Sweeper sweeper;

    /** @param server the {@code host:port} a failure names (a client's current server may change) */
    public Handoff(Executor executor, ScheduledExecutorService timer, OpenSockets sockets, Supplier<String> server) {
        this.executor = executor;
        this.sockets = sockets;
        this.server = server;
        this.sweeper = new Sweeper(timer, this::sweep);
    }

    /** {@code work}'s result, once a thread of the executor has run it; typed failures as a failed future. */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> work, Deadline deadline) {
        Queued<T> next = new Queued<>(work, deadline);
        queued.add(next);
        try {
            sweeper.by(deadline.at());
            executor.execute(next);
        } catch (RejectedExecutionException e) {
            next.refuse(sockets.isClosed() ? new HpxConnectionException("HPX client is closed", e)
                    : executor instanceof ExecutorService service && service.isShutdown()
                            ? new HpxConnectionException("the HPX client's executor was shut down", e)
                            : new HpxClientBusyException("too many HPX calls queued for the client's threads (its"
                                    + " executor refused this one): " + e.getMessage(), e));
        }
        return next.result;
    }

    /** Ends the queued work whose deadline has passed; work that runs keeps its deadline itself. */
    private long sweep(long now) {
        long next = Sweeper.NONE;
        for (Queued<?> work : queued) {
            long at = work.deadline.at();
            if (at - now <= 0) {
                work.expire();
            } else if (next == Sweeper.NONE || at - next < 0) {
                next = at;
            }
        }
        return next;
    }

    /** Work waiting for a thread: the thread or the deadline, whichever comes first, takes it. */
    private final class Queued<T> implements Runnable {

        private final Supplier<CompletableFuture<T>> work;
        private final Deadline deadline;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final AtomicBoolean taken = new AtomicBoolean();

        Queued(Supplier<CompletableFuture<T>> work, Deadline deadline) {
            this.work = work;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            if (!take()) {
                return;
            }
            try {
                // The relay too: what a failure's completion runs here (a move to another server) may wait.
                deadline.runHandedHere(() -> work.get().whenComplete((value, failure) -> {
                    if (failure == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(failure instanceof CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure);
                    }
                }));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                if (e instanceof Error) {
                    throw e;
                }
            }
        }

        private void expire() {
            if (take()) {
                result.completeExceptionally(deadline.expired(server.get(), "waiting for a client thread", null));
            }
        }

        private void refuse(HpxConnectionException failure) {
            if (take()) {
                result.completeExceptionally(failure);
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
