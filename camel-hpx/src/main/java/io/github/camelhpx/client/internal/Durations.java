package io.github.camelhpx.client.internal;

import java.time.Duration;

/** Checks for the durations builders accept. */
public final class Durations {

    private Durations() {
    }

    public static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
