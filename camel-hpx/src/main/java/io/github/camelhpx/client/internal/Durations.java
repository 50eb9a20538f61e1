package io.github.camelhpx.client.internal;

import java.time.Duration;

/** Checks for the durations builders accept. */
public final class Durations {

    private Durations() {
    }

    /** Longer than any wait a client can mean, and short enough for deadlines in nanoseconds to add up. */
    private static final Duration LONGEST = Duration.ofDays(365L * 100);

    public static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        if (value.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(name + " must be at most 100 years, was " + value);
        }
        return value;
    }
}
