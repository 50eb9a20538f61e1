package io.github.camelhpx.client.internal;

import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces socket deadlines by closing the socket when one passes (as OkHttp's {@code AsyncTimeout} does), so
 * that connects and reads can block without a timeout: once a JDK socket has had one (a timed connect or
 * {@code SO_TIMEOUT}) it stays non-blocking, and every read then costs a failed read and a {@code poll} before
 * the read that returns data.
 * <p>
 * One {@link Sweeper} for all sockets; its one thread ends when idle.
 */
final class Watchdog {

    /** No deadline: the guarded operation may block as long as the connection lives. */
    static final long NONE = Sweeper.NONE;

    static final Watchdog SHARED = new Watchdog();

    private final Set<Guard> guards = ConcurrentHashMap.newKeySet();
    private final Sweeper sweeper;

    private Watchdog() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "hpx-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        sweeper = new Sweeper(timer, this::sweep);
    }

    /** A guard for {@code socket}, disarmed; {@link Guard#release()} it when the socket is closed. */
    Guard guard(Socket socket) {
        Guard guard = new Guard(socket);
        guards.add(guard);
        return guard;
    }

    private long sweep(long now) {
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
        return next;
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
            if (deadlineNanos != NONE) {
                sweeper.by(deadlineNanos);
            }
        }

        /** Disarms; returns whether a deadline was still armed, rather than taken by the watchdog (or never armed). */
        boolean disarm() {
            return deadline.getAndSet(NONE) != NONE;
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
