package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's timer: one thread, idle unless a deadline passes, that ends calls at their deadline. What a caller
 * chained to a call it ended runs on a thread of its own instead (a Camel route's redelivery may sleep there), so
 * that it never holds up the other deadlines of the client.
 */
public final class CallTimer {

    // Threads on demand, gone when idle, as many as continuations that may block (a route's redelivery sleeping)
    // run at once, up to a bound: a server that stops answering ends a burst of calls together. Past it they queue,
    // so 32 continuations that block for long hold up the others (never the timer, which is what matters most).
    private static final int MAX_CONTINUATION_THREADS = 32;

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            runnable -> daemon(new TimerThread(runnable)));
    private final ThreadPoolExecutor continuations;

    public CallTimer() {
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        AtomicInteger counter = new AtomicInteger();
        continuations = new ThreadPoolExecutor(MAX_CONTINUATION_THREADS, MAX_CONTINUATION_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                runnable -> daemon(new Thread(runnable, "hpx-client-expired-" + counter.incrementAndGet())));
        continuations.allowCoreThreadTimeOut(true);
    }

    private static Thread daemon(Thread thread) {
        thread.setDaemon(true);
        return thread;
    }

    public ScheduledExecutorService scheduler() {
        return timer;
    }

    /**
     * Completes {@code relayed} with a call's outcome: here, or on a thread of its own when this is the timer's.
     */
    public <T> void relay(CompletableFuture<T> relayed, T value, Throwable failure) {
        if (Thread.currentThread() instanceof TimerThread) {
            try {
                continuations.execute(() -> complete(relayed, value, failure));
                return;
            } catch (RejectedExecutionException | Error e) {
                // The client is closing, or no thread could be made: ended here rather than never.
            }
        }
        complete(relayed, value, failure);
    }

    private static <T> void complete(CompletableFuture<T> relayed, T value, Throwable failure) {
        if (failure == null) {
            relayed.complete(value);
        } else {
            relayed.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
        }
    }

    /** Stops the timer; continuations already handed over still run. */
    public void close() {
        timer.shutdownNow();
        continuations.shutdown();
    }

    private static final class TimerThread extends Thread {

        TimerThread(Runnable runnable) {
            super(runnable, "hpx-client-deadlines");
        }
    }
}
