package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces socket deadlines by closing the socket when one passes (as OkHttp's {@code AsyncTimeout} does), so
 * that connects and reads can block without a timeout: once a JDK socket has had one (a timed connect or
 * {@code SO_TIMEOUT}) it stays non-blocking, and every read then costs a failed read and a {@code poll} before
 * the read that returns data.
 * <p>
 * One sweep runs at the earliest deadline armed; arming a later deadline than the next sweep's, the common case
 * of calls in a row, schedules nothing and wakes no thread. Its one thread ends when idle.
 */
final class Watchdog {

    /** No deadline: the guarded operation may block as long as the connection lives. */
    static final long NONE = Long.MAX_VALUE;

    static final Watchdog SHARED = new Watchdog();

    private final ScheduledThreadPoolExecutor timer;
    private final Set<Guard> guards = ConcurrentHashMap.newKeySet();
    private final Object scheduling = new Object();
    /** When the next sweep runs (nano time), or {@link #NONE}; written under {@code scheduling}. */
    private volatile long nextSweep = NONE;
    private ScheduledFuture<?> sweep;

    private Watchdog() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "hpx-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A guard for {@code socket}, disarmed; {@link Guard#release()} it when the socket is closed. */
    Guard guard(Socket socket) {
        Guard guard = new Guard(socket);
        guards.add(guard);
        return guard;
    }

    private void sweepBy(long at) {
        synchronized (scheduling) {
            if (sweep != null && nextSweep - at <= 0) {
                return;
            }
            if (sweep != null) {
                sweep.cancel(false);
            }
            nextSweep = at;
            sweep = timer.schedule(this::sweep, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        synchronized (scheduling) {
            sweep = null;
            nextSweep = NONE;
        }
        // A guard armed from now on sees no sweep scheduled and schedules its own; one armed before is seen here.
        long now = System.nanoTime();
        long next = NONE;
        for (Guard guard : guards) {
            long deadline = guard.deadline();
            if (deadline == NONE) {
                continue;
            }
            if (deadline - now <= 0) {
                guard.expire(deadline);
            } else if (next == NONE || deadline - next < 0) {
                next = deadline;
            }
        }
        if (next != NONE) {
            sweepBy(next);
        }
    }

    /** The deadline of one socket: armed around each wait, closes the socket if the wait outlives it. */
    final class Guard {

        private final Socket socket;
        private final AtomicLong deadline = new AtomicLong(NONE);
        private volatile boolean expired;

        private Guard(Socket socket) {
            this.socket = socket;
        }

        /** Closes the socket at {@code deadlineNanos} (nano time) unless disarmed or re-armed before. */
        void arm(long deadlineNanos) {
            deadline.set(deadlineNanos);
            long next = nextSweep;
            if (deadlineNanos != NONE && (next == NONE || deadlineNanos - next < 0)) {
                sweepBy(deadlineNanos);
            }
        }

        void disarm() {
            deadline.set(NONE);
        }

        /** The armed deadline (nano time), or {@link #NONE}. */
        long deadline() {
            return deadline.get();
        }

        /** Whether the watchdog closed the socket because a deadline passed. */
        boolean expired() {
            return expired;
        }

        void release() {
            deadline.set(NONE);
            guards.remove(this);
        }

        /** Closes the socket if {@code seen} is still the deadline armed: a wait that ended just now keeps it open. */
        private void expire(long seen) {
            if (deadline.compareAndSet(seen, NONE)) {
                expired = true;
                guards.remove(this);
                Link.closeQuietly(socket);
            }
        }
    }
}
