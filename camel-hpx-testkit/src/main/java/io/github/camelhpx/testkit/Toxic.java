package io.github.camelhpx.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One misbehaviour of an {@link HpxFaultProxy} connection in one direction. Toxics that act at a byte position
 * count the bytes of their direction from the start of the connection, so their effect does not depend on how
 * TCP happens to chunk the stream.
 */
public final class Toxic {

    /** Which way the affected bytes travel. */
    public enum Direction {
        /** client → server */
        UPSTREAM,
        /** server → client */
        DOWNSTREAM
    }

    public enum Kind { LATENCY, BANDWIDTH, STALL, CUT, RESET, GARBAGE, BYTE_BY_BYTE, DUPLICATE }

    private final Kind kind;
    private final Direction direction;
    private final long position;
    private final long amount;
    private final Duration duration;
    private final Duration jitter;

    private Toxic(Kind kind, Direction direction, long position, long amount, Duration duration, Duration jitter) {
        this.kind = kind;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.position = position;
        this.amount = amount;
        this.duration = duration;
        this.jitter = jitter;
    }

    /** Every chunk read is held for {@code delay} before it is passed on. */
    public static Toxic latency(Direction direction, Duration delay) {
        return latency(direction, delay, Duration.ZERO);
    }

    /** Every chunk read is held for {@code delay} plus a uniform random part of {@code jitter}. */
    public static Toxic latency(Direction direction, Duration delay, Duration jitter) {
        return new Toxic(Kind.LATENCY, direction, 0, 0, notNegative(delay, "delay"), notNegative(jitter, "jitter"));
    }

    /** At most {@code bytesPerSecond} bytes a second are passed on. */
    public static Toxic bandwidth(Direction direction, long bytesPerSecond) {
        return new Toxic(Kind.BANDWIDTH, direction, 0, positive(bytesPerSecond, "bytesPerSecond"), null, null);
    }

    /** The first {@code afterBytes} bytes pass; everything after them is held for {@code duration}. */
    public static Toxic stall(Direction direction, long afterBytes, Duration duration) {
        return new Toxic(Kind.STALL, direction, notNegative(afterBytes, "afterBytes"), 0,
                notNegative(duration, "duration"), null);
    }

    /**
     * The first {@code afterBytes} bytes pass; everything after them is held until
     * {@link HpxFaultProxy#releaseStalls()} (or {@link HpxFaultProxy#reset()}) is called.
     */
    public static Toxic stallUntilReleased(Direction direction, long afterBytes) {
        return new Toxic(Kind.STALL, direction, notNegative(afterBytes, "afterBytes"), 0, null, null);
    }

    /** Exactly {@code bytes} bytes pass, then both sides of the connection are closed cleanly (FIN). */
    public static Toxic cutAfter(Direction direction, long bytes) {
        return new Toxic(Kind.CUT, direction, notNegative(bytes, "bytes"), 0, null, null);
    }

    /**
     * At most {@code bytes} bytes pass, then both sides of the connection are reset (RST). Bytes the peer has
     * not read yet may be lost, as with a real reset.
     */
    public static Toxic resetAfter(Direction direction, long bytes) {
        return new Toxic(Kind.RESET, direction, notNegative(bytes, "bytes"), 0, null, null);
    }

    /** {@code count} random bytes are inserted after the first {@code atByte} bytes. */
    public static Toxic garbage(Direction direction, long atByte, int count) {
        return new Toxic(Kind.GARBAGE, direction, notNegative(atByte, "atByte"), positive(count, "count"), null, null);
    }

    /** Every byte is written on its own (with TCP_NODELAY each becomes its own segment). */
    public static Toxic byteByByte(Direction direction) {
        return new Toxic(Kind.BYTE_BY_BYTE, direction, 0, 0, null, null);
    }

    /** The {@code length} bytes starting at byte {@code fromByte} are sent twice in a row. */
    public static Toxic duplicate(Direction direction, long fromByte, int length) {
        return new Toxic(Kind.DUPLICATE, direction, notNegative(fromByte, "fromByte"), positive(length, "length"),
                null, null);
    }

    public Kind kind() {
        return kind;
    }

    public Direction direction() {
        return direction;
    }

    /** The byte position a stall, cut, reset, garbage or duplicate acts at. */
    long position() {
        return position;
    }

    /** Bytes a second, garbage bytes or duplicated bytes. */
    long amount() {
        return amount;
    }

    /** Latency or stall duration; {@code null} for a stall until released. */
    Duration duration() {
        return duration;
    }

    Duration jitter() {
        return jitter;
    }

    private static Duration notNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative " + what + " " + d);
        }
        return d;
    }

    private static long notNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + n);
        }
        return n;
    }

    private static long positive(long n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be positive: " + n);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Toxic)) {
            return false;
        }
        Toxic t = (Toxic) o;
        return kind == t.kind && direction == t.direction && position == t.position && amount == t.amount
                && Objects.equals(duration, t.duration) && Objects.equals(jitter, t.jitter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, direction, position, amount, duration, jitter);
    }

    /** Short and stable, for soak test reports: {@code cut(DOWNSTREAM, after 40 B)}. */
    @Override
    public String toString() {
        String what;
        switch (kind) {
            case LATENCY:
                what = duration.toMillis() + " ms" + (jitter.isZero() ? "" : " + jitter " + jitter.toMillis() + " ms");
                break;
            case BANDWIDTH:
                what = amount + " B/s";
                break;
            case STALL:
                what = "after " + position + " B "
                        + (duration == null ? "until released" : "for " + duration.toMillis() + " ms");
                break;
            case CUT:
            case RESET:
                what = "after " + position + " B";
                break;
            case GARBAGE:
                what = amount + " B at " + position;
                break;
            case DUPLICATE:
                what = amount + " B from " + position;
                break;
            default:
                what = "";
        }
        return kind.name().toLowerCase(Locale.ROOT) + "(" + direction + (what.isEmpty() ? "" : ", " + what)
                + ")";
    }
}
