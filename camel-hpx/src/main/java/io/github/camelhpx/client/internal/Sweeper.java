package io.github.camelhpx.client.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

/**
 * One timer task for many deadlines: a sweep runs at the earliest deadline armed and ends what is due. Arming a
 * deadline later than the next sweep's, the common case of calls in a row, schedules nothing and wakes no thread;
 * one timer task per deadline (scheduled, then cancelled when the call ended in time) woke the timer's thread on
 * almost every call, since each new task was the only one and so the earliest.
 */
final class Sweeper {

    /** No deadline. */
    static final long NONE = Long.MAX_VALUE;

    private final ScheduledExecutorService timer;
    private final LongUnaryOperator sweep;
    private final Object scheduling = new Object();
    /** When the next sweep runs (nano time), or {@link #NONE}; written under {@code scheduling}. */
    private volatile long next = NONE;
    private ScheduledFuture<?> task;

    /**
     * @param sweep given the time (nano time), ends what is due and returns the earliest deadline left, or
     *              {@link #NONE}
     */
    Sweeper(ScheduledExecutorService timer, LongUnaryOperator sweep) {
        this.timer = timer;
        this.sweep = sweep;
    }

    /**
     * Makes sure a sweep runs by {@code at} (nano time). Called after the deadline is where the sweep looks: a
     * sweep that starts from now on finds it, and one that started before has left its schedule for this call to
     * renew.
     *
     * @throws RejectedExecutionException when the timer has been shut down
     */
    void by(long at) {
        long scheduled = next;
        if (scheduled != NONE && scheduled - at <= 0) {
            return;
        }
        synchronized (scheduling) {
            if (task != null && next - at <= 0) {
                return;
            }
            ScheduledFuture<?> earlier = timer.schedule(this::run, Math.max(0, at - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            if (task != null) {
                task.cancel(false);
            }
            task = earlier;
            next = at;
        }
    }

    /** Cancels the next sweep; deadlines armed from now on schedule their own. */
    void cancel() {
        synchronized (scheduling) {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
            next = NONE;
        }
    }

    private void run() {
        synchronized (scheduling) {
            task = null;
            next = NONE;
        }
        long following = sweep.applyAsLong(System.nanoTime());
        if (following != NONE) {
            try {
                by(following);
            } catch (RejectedExecutionException e) {
                // The timer's owner is closing, and ends what is left itself.
            }
        }
    }
}
