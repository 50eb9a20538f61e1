package io.github.camelhpx.client.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer target: the G1 reply path ({@code gzip(json) + <EOF>}) from the socket's bytes to classified envelopes
 * and matched results. The first input byte chooses how the rest reaches the decoder: as raw wire bytes, or
 * gzipped by the harness (so that the fuzzer's bytes reach the JSON parser), with or without a lying gzip
 * trailer or junk after the frame, and in reads of 1–63 bytes or all at once. Runs the committed corpus in
 * every build ({@code G1FrameFuzzTestInputs/frames}); {@code -Pfuzz-long} fuzzes it. See {@link FuzzChecks}.
 */
// No server involved: run once, in the G1 pass (the targets cover both generations themselves)
@Tag("g1")
class G1FrameFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();

    @FuzzTest(maxDuration = "5m")
    void frames(byte[] input) {
        INPUTS.incrementAndGet();
        if (input.length == 0) {
            FuzzChecks.stream(FuzzChecks.g1(), input, 0);
            return;
        }
        int mode = input[0] & 3;
        int chunk = (input[0] & 0xff) >>> 2;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        FuzzChecks.stream(FuzzChecks.g1(), wire(mode, rest), chunk);
    }

    static byte[] wire(int mode, byte[] rest) {
        if (mode == 0) {
            return rest;
        }
        byte[] gzip = Frames.gzip(rest);
        if (mode == 3 && gzip.length >= 4) {
            // A trailer whose size (ISIZE) lies: claims 4 GiB - 1
            Arrays.fill(gzip, gzip.length - 4, gzip.length, (byte) 0xff);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(gzip);
        out.writeBytes(FrameBuffer.DELIMITER);
        if (mode == 2) {
            out.writeBytes(rest);
        }
        return out.toByteArray();
    }

    @AfterAll
    static void report() {
        System.out.println("FUZZ G1FrameFuzzTest inputs=" + INPUTS.get());
    }
}
