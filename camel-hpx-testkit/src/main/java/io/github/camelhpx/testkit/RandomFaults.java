package io.github.camelhpx.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Chooses at most one toxic for each connection number, from the seed and the number alone: the same seed
 * gives every connection k the same fault however the connections interleave. Delays stay under a second and
 * positions under 1 KiB, so a faulty call still ends (or fails) well inside a test's deadline.
 */
final class RandomFaults {

    static final int MAX_POSITION = 1024;
    static final int MAX_LATENCY_MILLIS = 200;
    static final int MAX_JITTER_MILLIS = 50;
    static final int MIN_BYTES_PER_SECOND = 4 * 1024;
    static final int MAX_BYTES_PER_SECOND = 64 * 1024;
    static final int MIN_STALL_MILLIS = 50;
    static final int MAX_STALL_MILLIS = 500;
    static final int MAX_INSERTED_BYTES = 64;

    /** Spreads consecutive connection numbers over unrelated seeds (the 64-bit golden ratio). */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final double probability;
    private final List<Toxic.Kind> kinds;

    RandomFaults(long seed, double probability, Toxic.Kind... kinds) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within [0, 1]: " + probability);
        }
        this.seed = seed;
        this.probability = probability;
        // A set in declaration order, so that repeating or reordering the kinds does not change the faults
        this.kinds = new ArrayList<>(kinds.length == 0
                ? EnumSet.allOf(Toxic.Kind.class) : EnumSet.copyOf(Arrays.asList(kinds)));
    }

    Optional<Toxic> pick(int connection) {
        SplittableRandom r = new SplittableRandom(seed + connection * SPREAD);
        if (r.nextDouble() >= probability) {
            return Optional.empty();
        }
        Toxic.Kind kind = kinds.get(r.nextInt(kinds.size()));
        Toxic.Direction d = r.nextBoolean() ? Toxic.Direction.UPSTREAM : Toxic.Direction.DOWNSTREAM;
        return Optional.of(toxic(kind, d, r));
    }

    private static Toxic toxic(Toxic.Kind kind, Toxic.Direction d, SplittableRandom r) {
        switch (kind) {
            case LATENCY:
                return Toxic.latency(d, millis(r, 1, MAX_LATENCY_MILLIS), millis(r, 0, MAX_JITTER_MILLIS));
            case BANDWIDTH:
                return Toxic.bandwidth(d, r.nextInt(MIN_BYTES_PER_SECOND, MAX_BYTES_PER_SECOND + 1));
            case STALL:
                return Toxic.stall(d, position(r), millis(r, MIN_STALL_MILLIS, MAX_STALL_MILLIS));
            case CUT:
                return Toxic.cutAfter(d, position(r));
            case RESET:
                return Toxic.resetAfter(d, position(r));
            case GARBAGE:
                return Toxic.garbage(d, position(r), r.nextInt(1, MAX_INSERTED_BYTES + 1));
            case BYTE_BY_BYTE:
                return Toxic.byteByByte(d);
            case DUPLICATE:
                return Toxic.duplicate(d, position(r), r.nextInt(1, MAX_INSERTED_BYTES + 1));
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static long position(SplittableRandom r) {
        return r.nextInt(MAX_POSITION);
    }

    private static Duration millis(SplittableRandom r, int min, int max) {
        return Duration.ofMillis(r.nextInt(min, max + 1));
    }
}
