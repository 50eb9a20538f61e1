package io.github.camelhpx.testkit;

import java.util.Objects;

/**
 * A toxic an {@link HpxFaultProxy} gave to one connection (numbered from 1 in accept order). A toxic acting
 * at a byte position its connection never reaches is recorded but has no effect.
 */
public record FaultRecord(int connection, Toxic toxic) {

    public FaultRecord {
        Objects.requireNonNull(toxic, "toxic");
    }

    @Override
    public String toString() {
        return "#" + connection + " " + toxic;
    }
}
