package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * Jazzer target: any JSON value the fuzzer writes goes out through each generation's encoder and comes back
 * through its frame decoder and parser unchanged (no wrong value), or is refused with an {@link HpxException}
 * (G2: a message holding {@code <EOF>}; both: a limit). Runs the committed corpus in every build; {@code
 * -Pfuzz-long} fuzzes it.
 */
// No server involved: run once, in the G1 pass (the targets cover both generations themselves)
@Tag("g1")
class CodecRoundTripFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();

    @FuzzTest(maxDuration = "5m")
    void roundTrip(byte[] input) throws IOException {
        INPUTS.incrementAndGet();
        JsonNode data;
        try {
            data = FuzzChecks.JSON.readTree(input);
        } catch (IOException e) {
            return; // not JSON: nothing to send
        }
        if (data == null || data.isMissingNode()) {
            return;
        }
        for (WireCodec codec : new WireCodec[] {FuzzChecks.g1(), FuzzChecks.g2()}) {
            try (codec) {
                byte[] wire;
                try {
                    GrowableBuffer frame = codec.encode(7L, "call", "0123456789abcdef0123456789abcdef", "fuzz", data);
                    wire = java.util.Arrays.copyOf(frame.array(), frame.size());
                } catch (HpxException refused) {
                    continue;
                }
                JsonNode back;
                try {
                    back = codec.decode(codec.readFrame(new ByteArrayInputStream(wire))).get("data");
                } catch (HpxException limit) {
                    continue; // beyond the (small) limits of the fuzz codecs
                }
                if (!data.equals(back)) {
                    throw new AssertionError(codec.protocol() + " changed " + data + " into " + back);
                }
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.println("FUZZ CodecRoundTripFuzzTest inputs=" + INPUTS.get());
    }
}
