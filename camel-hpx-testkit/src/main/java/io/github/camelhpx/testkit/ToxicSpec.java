package io.github.camelhpx.testkit;

import java.time.Duration;
import java.util.Locale;

/**
 * Toxics written as text, for the command line: {@code kind:direction[:argument]...}, e.g. {@code cut:down:100}
 * or {@code latency:up:300ms:50ms}. Kinds are the {@link Toxic.Kind} names in lower case with hyphens.
 */
final class ToxicSpec {

    static final String FORMS = "latency:DIR:300ms[:50ms], bandwidth:DIR:bytesPerSecond, stall:DIR:afterBytes:500ms,"
            + " cut:DIR:afterBytes, reset:DIR:afterBytes, garbage:DIR:atByte:count, byte-by-byte:DIR,"
            + " duplicate:DIR:fromByte:length (DIR: up or down)";

    private ToxicSpec() {
    }

    static Toxic parse(String spec) {
        String[] p = spec.split(":", -1);
        if (p.length < 2) {
            throw new IllegalArgumentException("bad toxic " + spec + "; forms: " + FORMS);
        }
        Toxic.Kind kind = kind(p[0]);
        Toxic.Direction d = direction(p[1]);
        switch (kind) {
            case LATENCY:
                arguments(spec, p, 1, 2);
                return Toxic.latency(d, duration(p[2]), p.length > 3 ? duration(p[3]) : Duration.ZERO);
            case BANDWIDTH:
                arguments(spec, p, 1, 1);
                return Toxic.bandwidth(d, number(p[2]));
            case STALL:
                arguments(spec, p, 2, 2);
                return Toxic.stall(d, number(p[2]), duration(p[3]));
            case CUT:
                arguments(spec, p, 1, 1);
                return Toxic.cutAfter(d, number(p[2]));
            case RESET:
                arguments(spec, p, 1, 1);
                return Toxic.resetAfter(d, number(p[2]));
            case GARBAGE:
                arguments(spec, p, 2, 2);
                return Toxic.garbage(d, number(p[2]), Math.toIntExact(number(p[3])));
            case BYTE_BY_BYTE:
                arguments(spec, p, 0, 0);
                return Toxic.byteByByte(d);
            case DUPLICATE:
                arguments(spec, p, 2, 2);
                return Toxic.duplicate(d, number(p[2]), Math.toIntExact(number(p[3])));
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    /** {@code byte-by-byte} → {@link Toxic.Kind#BYTE_BY_BYTE}. */
    static Toxic.Kind kind(String name) {
        try {
            return Toxic.Kind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown toxic kind " + name + "; forms: " + FORMS, e);
        }
    }

    private static Toxic.Direction direction(String s) {
        switch (s) {
            case "up":
                return Toxic.Direction.UPSTREAM;
            case "down":
                return Toxic.Direction.DOWNSTREAM;
            default:
                throw new IllegalArgumentException("direction must be up or down, got " + s);
        }
    }

    private static void arguments(String spec, String[] p, int min, int max) {
        int n = p.length - 2;
        if (n < min || n > max) {
            throw new IllegalArgumentException("bad toxic " + spec + "; forms: " + FORMS);
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + s, e);
        }
    }

    private static Duration duration(String s) {
        return HpxTestServerMain.duration(s);
    }
}
