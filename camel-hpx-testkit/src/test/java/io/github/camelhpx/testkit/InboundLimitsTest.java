package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;

/** What keeps a bad client from exhausting the test JVM: frame and decompression limits, nesting depth. */
class InboundLimitsTest {

    private static final String CRASH = "[100] HappypandaError: An unhandled critical error has occurred: ";

    @Test
    void aFrameOverTheLimitWithoutMarkerEndsTheConnection() {
        try (HpxTestServer server = HpxTestServer.builder().maxFrameBytes(4096).build().start();
             RawClient c = RawClient.welcomed(server)) {
            boolean writeFailed = false;
            try {
                c.writeRaw(new byte[200_000]);
            } catch (UncheckedIOException e) {
                // the server may close while the bytes are still going out: that is the point
                writeFailed = true;
            }
            assertThat(writeFailed || c.closedByServer()).isTrue();
        }
    }

    @Test
    void aMessageDecompressingBeyondTheLimitIsAMemoryErrorAndTheConnectionLives() {
        try (HpxTestServer server = HpxTestServer.builder().maxDecompressedBytes(10_000).build().start();
             RawClient c = RawClient.welcomed(server)) {
            c.writeFrame(RawClient.gzip((" ".repeat(50_000) + "{}").getBytes(StandardCharsets.US_ASCII)));
            assertServerError(c.read(), 100, CRASH + "MemoryError");
            Replies.assertAuthenticated(c.send("", RawClient.MAPPER.createObjectNode()));
        }
    }

    @Test
    void absurdNestingIsARecursionError() {
        try (HpxTestServer server = HpxTestServer.builder().build().start(); RawClient c = RawClient.welcomed(server)) {
            c.writeJson("[".repeat(100_000) + "]".repeat(100_000));
            assertServerError(c.read(), 100, CRASH + "RecursionError");
        }
    }

    @Test
    void largeFramesInBothDirectionsPassWithinTheLimits() {
        try (HpxTestServer server = HpxTestServer.builder().function(FunctionSpec.echo()).build().start();
             RawClient c = RawClient.guest(server)) {
            String big = "x".repeat(3_000_000);
            var reply = c.callOne("{\"fname\": \"echo\", \"value\": \"" + big + "\"}");
            assertThat(Replies.result(reply, 0, "echo").asText()).hasSize(3_000_000);
        }
    }
}
