package io.github.camelhpx.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxTimeoutException;

/**
 * The one point in time by which a call must end, fixed when the call starts: every wait of the call (for a
 * connection, a welcome, a handshake, the reply, a renewal, a retry) gets only what is left of it.
 */
public final class Deadline {

    /** The deadline of the blocking call the thread is making, if it is making one. */
    private static final ThreadLocal<Deadline> AWAITED = new ThreadLocal<>();
    /** The deadline of the call whose work was handed to this thread (the client's executor's), if any. */
    private static final ThreadLocal<Deadline> HANDED = new ThreadLocal<>();

    private final long atNanos;
    private final Duration timeout;

    private Deadline(long atNanos, Duration timeout) {
        this.atNanos = atNanos;
        this.timeout = timeout;
    }

    public static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    /**
     * Starts this deadline's call on the thread that will wait for it: a blocking call's. Its exchanges may read their
     * replies here rather than be woken by another thread that read them.
     */
    public <T> T startAwaitedHere(Supplier<T> call) {
        return runMarked(AWAITED, call);
    }

    /** Whether the calling thread started this deadline's call and will wait for it. */
    boolean isAwaitedHere() {
        return AWAITED.get() == this;
    }

    /** Whether the calling thread runs work of this deadline's call that was handed to it ({@link #runHandedHere}). */
    boolean isHandedHere() {
        return HANDED.get() == this;
    }

    /**
     * Runs work of this deadline's call on a thread it was handed to, where the call may wait (see
     * {@link #mayWaitHere}).
     */
    <T> T runHandedHere(Supplier<T> work) {
        return runMarked(HANDED, work);
    }

    /** Runs {@code work} with {@code marker} naming this deadline; restored, not removed: calls may nest. */
    private <T> T runMarked(ThreadLocal<Deadline> marker, Supplier<T> work) {
        Deadline outer = marker.get();
        marker.set(this);
        try {
            return work.get();
        } finally {
            marker.set(outer);
        }
    }

    /**
     * Whether this deadline's call may wait on the calling thread (for a connect, a request slot, another call's
     * move): its blocking caller's, or one its work was handed to. Not an asynchronous caller's own thread (a route's,
     * an event loop), which must get its future back at once, nor a reader's.
     */
    public boolean mayWaitHere() {
        return AWAITED.get() == this || HANDED.get() == this;
    }

    /**
     * Whether the calling thread is making another blocking call than this deadline's: work of this call that
     * completing a future of that one ran here (a shared handshake's waiters) must not hold it up.
     */
    boolean isAnotherCallsThread() {
        Deadline awaited = AWAITED.get();
        return awaited != null && awaited != this;
    }

    /** The timeout the deadline was made from. */
    Duration timeout() {
        return timeout;
    }

    /** The deadline itself, in {@link System#nanoTime()}. */
    long at() {
        return atNanos;
    }

    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    /** What is left, but no more than {@code stageLimit} (e.g. the connect timeout for a connect). */
    Duration remaining(Duration stageLimit) {
        long nanos = Math.max(0, Math.min(remainingNanos(), stageLimit.toNanos()));
        return Duration.ofNanos(nanos);
    }

    /**
     * A copy of {@code work}, which another call does under its own deadline, that fails when this deadline passes
     * first ({@code phase} says what this call was waiting for); no thread waits meanwhile.
     */
    <T> CompletableFuture<T> bound(CompletableFuture<T> work, ScheduledExecutorService timer, String server,
            String phase) {
        CompletableFuture<T> mine = work.copy();
        try {
            ScheduledFuture<?> expiry = timer.schedule(() -> mine.completeExceptionally(expired(server, phase, null)),
                    Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
            mine.whenComplete((done, failure) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            mine.completeExceptionally(new HpxConnectionException("HPX client is closed", e));
        }
        return mine;
    }

    /** The failure of a call whose deadline passed while it was {@code phase} (e.g. "waiting for the reply"). */
    public HpxTimeoutException expired(String server, String phase, Throwable cause) {
        return new HpxTimeoutException("HPX call to " + server + " ran out of its " + timeout + " while " + phase,
                timeout, cause);
    }
}
