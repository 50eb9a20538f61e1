package io.github.camelhpx.client.internal;

import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a client's calls as they start and end, and keeps the last failure. Two {@link LongAdder} increments per
 * call and no lock: the calls of many threads do not contend here.
 */
public final class CallCounter {

    /** A failure as it may be shown: its type and message, never its stack or cause. */
    public record Failure(String text, Instant at) {
    }

    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile Failure lastFailure;

    public void started() {
        started.increment();
    }

    public void succeeded() {
        succeeded.increment();
    }

    public void failed(Throwable failure) {
        failed.increment();
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        // Shown in JMX and the dev console: masked as a failed frame's dump is, should a message ever quote a session.
        String message = cause.getMessage() == null ? null : SecretMask.mask(cause.getMessage());
        lastFailure = new Failure(cause.getClass().getSimpleName() + (message == null ? "" : ": " + message), Instant.now());
    }

    public long succeededCount() {
        return succeeded.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    /** Calls started and not yet ended; the three sums are read one after another, so never below zero. */
    public long inFlight() {
        long ended = succeeded.sum() + failed.sum();
        return Math.max(0, started.sum() - ended);
    }

    /** The last call's failure, or {@code null} if none failed. */
    public Failure lastFailure() {
        return lastFailure;
    }
}
