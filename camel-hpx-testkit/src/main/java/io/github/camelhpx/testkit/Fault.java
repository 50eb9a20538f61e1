package io.github.camelhpx.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour applied to one frame the server sends. Queue them with
 * {@link Faults#nextReply(Fault)} (replies to client messages) or {@link Faults#nextWelcome(Fault)}.
 */
public final class Fault {

    enum Kind { DELAY, CUT_MID_FRAME, GARBAGE, OVERSIZED, GZIP_BOMB, NO_REPLY, CLOSE }

    private final Kind kind;
    private final Duration delay;
    private final long size;

    private Fault(Kind kind, Duration delay, long size) {
        this.kind = kind;
        this.delay = delay;
        this.size = size;
    }

    /** Send the frame unchanged, but only after this delay. */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        return new Fault(Kind.DELAY, delay, 0);
    }

    /** Send the first half of the frame, then close the socket. */
    public static Fault cutMidFrame() {
        return new Fault(Kind.CUT_MID_FRAME, Duration.ZERO, 0);
    }

    /** Send random bytes that are not gzip (and contain no {@code <EOF>}), then {@code <EOF>}. */
    public static Fault garbage() {
        return new Fault(Kind.GARBAGE, Duration.ZERO, 0);
    }

    /**
     * Instead of the frame, send a valid gzip message whose compressed size is at least
     * {@code compressedBytes} (incompressible random text in {@code data}, no {@code <EOF>} inside).
     */
    public static Fault oversized(int compressedBytes) {
        if (compressedBytes < 1) {
            throw new IllegalArgumentException("compressedBytes must be positive");
        }
        return new Fault(Kind.OVERSIZED, Duration.ZERO, compressedBytes);
    }

    /**
     * Instead of the frame, send a valid gzip of a tiny JSON message padded with {@code decompressedBytes}
     * spaces: small on the wire, huge once decompressed.
     */
    public static Fault gzipBomb(long decompressedBytes) {
        if (decompressedBytes < 0) {
            throw new IllegalArgumentException("decompressedBytes must not be negative");
        }
        return new Fault(Kind.GZIP_BOMB, Duration.ZERO, decompressedBytes);
    }

    /** Swallow the frame; the connection stays open. */
    public static Fault noReply() {
        return new Fault(Kind.NO_REPLY, Duration.ZERO, 0);
    }

    /** Close the connection instead of sending the frame. */
    public static Fault close() {
        return new Fault(Kind.CLOSE, Duration.ZERO, 0);
    }

    Kind kind() {
        return kind;
    }

    Duration delayDuration() {
        return delay;
    }

    long size() {
        return size;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DELAY: return "Fault.delay(" + delay + ")";
            case OVERSIZED: return "Fault.oversized(" + size + ")";
            case GZIP_BOMB: return "Fault.gzipBomb(" + size + ")";
            default: return "Fault." + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
