package io.github.camelhpx.testkit;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Builds the stages one direction of a connection goes through, first toxic first. */
final class ToxicChain {

    private ToxicChain() {
    }

    static ToxicStage build(List<Toxic> toxics, ToxicStage sink, ProxiedConnection connection, StallGate gate) {
        ToxicStage head = sink;
        for (int i = toxics.size() - 1; i >= 0; i--) {
            head = stage(toxics.get(i), head, connection, gate);
        }
        return head;
    }

    private static ToxicStage stage(Toxic t, ToxicStage next, ProxiedConnection connection, StallGate gate) {
        switch (t.kind()) {
            case LATENCY:
                return new LatencyStage(t.duration(), t.jitter(), next);
            case BANDWIDTH:
                return new BandwidthStage(t.amount(), next);
            case BYTE_BY_BYTE:
                return new ByteByByteStage(next);
            case STALL:
                return new AtPositionStage(t.position(), s -> {
                    if (t.duration() == null) {
                        gate.await();
                    } else {
                        TimeUnit.NANOSECONDS.sleep(t.duration().toNanos());
                    }
                }, next);
            case CUT:
                return new AtPositionStage(t.position(), s -> connection.cut(), next);
            case RESET:
                return new AtPositionStage(t.position(), s -> connection.reset(), next);
            case GARBAGE:
                return new AtPositionStage(t.position(), s -> {
                    byte[] garbage = new byte[(int) t.amount()];
                    ThreadLocalRandom.current().nextBytes(garbage);
                    s.pass(garbage, 0, garbage.length);
                }, next);
            case DUPLICATE:
                // The recorder sees each chunk before the action, so the copy is complete when the action fires.
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                AtPositionStage repeat = new AtPositionStage(t.position() + t.amount(),
                        s -> s.pass(copy.toByteArray(), 0, copy.size()), next);
                return new RecorderStage(t.position(), t.amount(), copy, repeat);
            default:
                throw new IllegalArgumentException("unknown toxic " + t);
        }
    }
}
