package io.github.camelhpx.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocolException;

/**
 * The calls that found every request slot of a full pool taken, first come first served: a slot freed on any of the
 * pool's connections goes to the call that waited longest (of those that take that connection: a retry takes only
 * one opened since its break), taken for it before it learns of it. A call waits here without a thread: only a
 * blocking caller blocks, on its own thread; an asynchronous one is told by its future. At most {@link #MAX_WAITING}
 * calls wait; one more is refused. One {@link Sweeper} ends each at its deadline.
 */
final class SlotQueue {

    /** As many as the component queues for its client threads. */
    static final int MAX_WAITING = 10_000;

    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** {@code waiting}'s size, read without its lock by every slot given back: written under the lock. */
    private volatile int size;
    private final Sweeper sweeper;
    private final Supplier<String> server;
    private final String phase;

    /** @param server the {@code host:port} a timeout names */
    SlotQueue(ScheduledExecutorService timer, Supplier<String> server, int poolSize, int maxInFlight) {
        this.sweeper = new Sweeper(timer, this::sweep);
        this.server = server;
        this.phase = "waiting for a request slot (each of the pool's " + poolSize + " connections had its " + maxInFlight
                + " in flight)";
    }

    /** A call waiting: completed with the connection whose slot it now holds, or failed. */
    static final class Waiter extends CompletableFuture<MultiplexedConnection> {

        private final Deadline deadline;
        private final Predicate<MultiplexedConnection> takes;

        private Waiter(Deadline deadline, Predicate<MultiplexedConnection> takes) {
            this.deadline = deadline;
            this.takes = takes;
        }
    }

    /** The connections whose slots a thread offers, while it does: one given back meanwhile waits its turn. */
    private final ThreadLocal<ArrayDeque<MultiplexedConnection>> offering = new ThreadLocal<>();

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Queues a call for the next slot freed on a connection it {@code takes}. The caller then offers the slots of every
     * connection ({@link #offer}): one freed after it found none and before it joined was offered to no one.
     */
    Waiter join(Deadline deadline, Predicate<MultiplexedConnection> takes) {
        Waiter waiter = new Waiter(deadline, takes);
        synchronized (waiting) {
            if (waiting.size() >= MAX_WAITING) {
                waiter.completeExceptionally(new HpxClientBusyException("too many HPX calls (" + MAX_WAITING
                        + ") wait for a request slot: every connection of the pool has maxInFlight calls in flight",
                        null));
                return waiter;
            }
            waiting.add(waiter);
            size = waiting.size();
        }
        try {
            sweeper.by(deadline.at());
        } catch (RejectedExecutionException e) {
            fail(waiter, new HpxConnectionException("HPX client is closed", e));
        }
        return waiter;
    }

    /**
     * Hands the free slots of {@code connection} to the calls that waited longest, as long as both last. Called by a
     * call that just joined, and for a connection new to the pool. A slot is handed even on a connection that broke:
     * its call is then not sent, and is retried on a new connection.
     */
    void offer(MultiplexedConnection connection) {
        ArrayDeque<MultiplexedConnection> outer = offering.get();
        ArrayDeque<MultiplexedConnection> pending = new ArrayDeque<>();
        offering.set(pending);
        try {
            for (MultiplexedConnection next = connection; next != null; next = pending.poll()) {
                offerEach(next);
            }
        } finally {
            if (outer == null) {
                offering.remove();
            } else {
                offering.set(outer);
            }
        }
    }

    /**
     * As {@link #offer}, after a slot of {@code connection} was given back. One given back while this thread offers (a
     * call handed a slot whose hand-over to the executor was refused gives it back at once) is offered after, not from
     * within: a queue of refusals would otherwise nest one call deeper each.
     */
    void offerGivenBack(MultiplexedConnection connection) {
        ArrayDeque<MultiplexedConnection> pending = offering.get();
        if (pending == null) {
            offer(connection);
        } else if (!pending.contains(connection)) {
            pending.add(connection);
        }
    }

    private void offerEach(MultiplexedConnection connection) {
        while (size > 0 && connection.takeSlot()) {
            if (!handOver(connection)) {
                connection.releaseSlot();
                // After the release: a call that joined after the hand-over's look is seen here, or sees the slot.
                if (!anyTakes(connection)) {
                    return;
                }
            }
        }
    }

    /**
     * Whether a call waits within its deadline that would take a slot of {@code connection}: one past its deadline is
     * the sweep's to end (on the timer, whose relay runs what its caller chained to it elsewhere).
     */
    boolean anyTakes(MultiplexedConnection connection) {
        long now = System.nanoTime();
        synchronized (waiting) {
            return waiting.stream().anyMatch(waiter -> takes(waiter, connection, now));
        }
    }

    private static boolean takes(Waiter waiter, MultiplexedConnection connection, long now) {
        return waiter.deadline.at() - now > 0 && waiter.takes.test(connection);
    }

    private boolean handOver(MultiplexedConnection connection) {
        long now = System.nanoTime();
        while (true) {
            Waiter next = null;
            synchronized (waiting) {
                for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
                    Waiter waiter = it.next();
                    if (takes(waiter, connection, now)) {
                        it.remove();
                        next = waiter;
                        break;
                    }
                }
                size = waiting.size();
            }
            if (next == null) {
                return false;
            }
            // Outside the lock: completing it runs its call's next step (a blocking caller wakes; an asynchronous
            // one is handed to the client's executor).
            if (next.complete(connection)) {
                return true;
            }
        }
    }

    /**
     * The connection whose slot {@code waiter} was handed, for a blocking caller: waits for it on this thread within
     * the call's deadline.
     */
    MultiplexedConnection await(Waiter waiter) {
        try {
            return waiter.get(Math.max(0, waiter.deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Normally the sweep's to end: this wait's own clock ran out first.
            throw leave(waiter, expired(waiter));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw leave(waiter, new HpxConnectionException("interrupted while waiting for a request slot", e));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HpxException failure ? failure
                    : new HpxProtocolException("waiting for a request slot failed: " + e.getCause(), e.getCause());
        }
    }

    /** Ends {@code waiter}'s wait with {@code failure}; a slot handed to it meanwhile goes to the next. */
    private HpxException leave(Waiter waiter, HpxException failure) {
        if (fail(waiter, failure)) {
            return failure;
        }
        // Ended meanwhile: handed a slot, or failed by the queue (its sweep, a retirement, a close).
        try {
            waiter.join().giveSlotBack();
            return failure;
        } catch (CompletionException e) {
            return e.getCause() instanceof HpxException ended ? ended : failure;
        }
    }

    /** Fails every call waiting, e.g. when the pool closes, each with a failure of its own. */
    void failAll(Supplier<HpxException> reason) {
        List<Waiter> failed;
        synchronized (waiting) {
            failed = new ArrayList<>(waiting);
            waiting.clear();
            size = 0;
        }
        failed.forEach(w -> w.completeExceptionally(reason.get()));
    }

    private boolean fail(Waiter waiter, HpxException failure) {
        synchronized (waiting) {
            waiting.remove(waiter);
            size = waiting.size();
        }
        return waiter.completeExceptionally(failure);
    }

    /** Ends the calls whose deadline has passed; returns the earliest deadline of the others. */
    private long sweep(long now) {
        List<Waiter> expired = new ArrayList<>();
        long next = Sweeper.NONE;
        synchronized (waiting) {
            for (Iterator<Waiter> it = waiting.iterator(); it.hasNext();) {
                Waiter waiter = it.next();
                long at = waiter.deadline.at();
                if (at - now <= 0) {
                    it.remove();
                    expired.add(waiter);
                } else if (next == Sweeper.NONE || at - next < 0) {
                    next = at;
                }
            }
            size = waiting.size();
        }
        expired.forEach(w -> w.completeExceptionally(expired(w)));
        return next;
    }

    private HpxException expired(Waiter waiter) {
        return waiter.deadline.expired(server.get(), phase, null);
    }
}
