package io.github.camelhpx.client.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer target: the G2 reply path (one MessagePack value + {@code <EOF>}) from the socket's bytes to classified
 * envelopes and matched results. The first input byte sets the read size (1–255 bytes, 0 = all at once: the
 * frame scanner keeps its state across reads); the rest is the wire. Runs the committed corpus in every build
 * ({@code G2FrameFuzzTestInputs/frames}); {@code -Pfuzz-long} fuzzes it. See {@link FuzzChecks}.
 */
// No server involved: run once, in the G1 pass (the targets cover both generations themselves)
@Tag("g1")
class G2FrameFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] input) {
        INPUTS.incrementAndGet();
        int chunk = input.length == 0 ? 0 : input[0] & 0xff;
        byte[] wire = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        FuzzChecks.stream(FuzzChecks.g2(), wire, chunk);
    }

    @AfterAll
    static void report() {
        System.out.println("FUZZ G2FrameFuzzTest inputs=" + INPUTS.get());
    }
}
