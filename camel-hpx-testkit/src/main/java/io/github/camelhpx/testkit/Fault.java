package io.github.camelhpx.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour applied to one frame the server sends. Queue them with
 * {@link Faults#nextReply(Fault)} (replies to client messages) or {@link Faults#nextWelcome(Fault)}.
 */
public final class Fault {

    enum Kind {
        DELAY, CUT_MID_FRAME, GARBAGE, OVERSIZED, GZIP_BOMB, BROKEN_DEFLATE, LYING_LENGTH, NO_REPLY, CLOSE, UNSOLICITED,
        REORDER
    }

    private final Kind kind;
    private final Duration delay;
    private final long size;
    private final Object data;

    private Fault(Kind kind, Duration delay, long size) {
        this(kind, delay, size, null);
    }

    private Fault(Kind kind, Duration delay, long size, Object data) {
        this.kind = kind;
        this.delay = delay;
        this.size = size;
        this.data = data;
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
     * spaces: small on the wire, huge once decompressed. G1 only (G2 frames are not compressed): a G2 server's
     * {@link Faults} refuses it.
     */
    public static Fault gzipBomb(long decompressedBytes) {
        if (decompressedBytes < 0) {
            throw new IllegalArgumentException("decompressedBytes must not be negative");
        }
        return new Fault(Kind.GZIP_BOMB, Duration.ZERO, decompressedBytes);
    }

    /**
     * Send the frame as it would be, but with its first deflate block's type set to the reserved value: a sound gzip
     * header, then data that fails to inflate at its first byte, though it still holds the whole message (its
     * session too) for anyone who puts that one byte back. G1 only, as {@link #gzipBomb(long)}.
     */
    public static Fault brokenDeflate() {
        return new Fault(Kind.BROKEN_DEFLATE, Duration.ZERO, 0);
    }

    /**
     * Instead of the frame, send {@code {"__id__": <the request's>, "data": <a string>}} whose string header declares
     * {@code declaredBytes}, followed by 16 of them and {@code <EOF>}: small on the wire, huge as declared,
     * the G2 counterpart of {@link #gzipBomb(long)}. The rest never comes; the connection stays open. G2 only.
     */
    public static Fault lyingLength(int declaredBytes) {
        if (declaredBytes < 32) {
            throw new IllegalArgumentException("declaredBytes must be at least 32, to declare more than is sent");
        }
        return new Fault(Kind.LYING_LENGTH, Duration.ZERO, declaredBytes);
    }

    /** Swallow the frame; the connection stays open. */
    public static Fault noReply() {
        return new Fault(Kind.NO_REPLY, Duration.ZERO, 0);
    }

    /** Close the connection instead of sending the frame. */
    public static Fault close() {
        return new Fault(Kind.CLOSE, Duration.ZERO, 0);
    }

    /**
     * Send an unsolicited {@code {"session", "name", "data": data}} frame on the same connection right before
     * the frame (in G2 without {@code __id__}), as if a broadcast arrived while the client waits for its reply.
     * Both generations.
     */
    public static Fault unsolicitedBefore(Object data) {
        return new Fault(Kind.UNSOLICITED, Duration.ZERO, 0, Json.toJson(data));
    }

    /**
     * G2 only: the connection that sends the next reply holds it and its next {@code replies - 1} replies back
     * and then sends all of them in a shuffled order, never the original one, so a client must match replies by
     * {@code __id__}. The held replies wait until that many have been produced. A G1 server sends the frame
     * unchanged (a G1 client has one request in flight).
     */
    public static Fault reorderReplies(int replies) {
        if (replies < 2) {
            throw new IllegalArgumentException("reordering needs at least 2 replies");
        }
        return new Fault(Kind.REORDER, Duration.ZERO, replies);
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

    Object unsolicitedData() {
        return data;
    }

    @Override
    public String toString() {
        switch (kind) {
            case DELAY: return "Fault.delay(" + delay + ")";
            case OVERSIZED: return "Fault.oversized(" + size + ")";
            case GZIP_BOMB: return "Fault.gzipBomb(" + size + ")";
            case LYING_LENGTH: return "Fault.lyingLength(" + size + ")";
            case UNSOLICITED: return "Fault.unsolicitedBefore(" + data + ")";
            case REORDER: return "Fault.reorderReplies(" + size + ")";
            default: return "Fault." + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
