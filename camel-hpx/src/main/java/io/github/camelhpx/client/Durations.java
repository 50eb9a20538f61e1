package io.github.camelhpx.client;

import java.time.Duration;

/** Checks for the durations builders accept. */
final class Durations {

    private Durations() {
    }

    static Duration requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
