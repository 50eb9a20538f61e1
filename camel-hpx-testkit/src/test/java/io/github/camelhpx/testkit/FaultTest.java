package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault of the fault plan, applied to the next reply of whichever connection answers first. */
class FaultTest {

    private static final String GET_VERSION = "[{\"fname\": \"get_version\"}]";

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create();

    private Faults faults() {
        return hpx.server().faults();
    }

    private void sendGetVersion(RawClient c) {
        c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": " + GET_VERSION + "}");
    }

    private static boolean containsMarker(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).contains("<EOF>");
    }

    @Test
    void delayHoldsTheReplyBackThenSendsItUnchanged() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.delay(Duration.ofMillis(400)));
            long start = System.nanoTime();
            JsonNode reply = c.call(GET_VERSION);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            result(reply, 0, "get_version");
        }
    }

    @Test
    void cutMidFrameSendsHalfAFrameAndCloses() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.cutMidFrame());
            sendGetVersion(c);
            byte[] got = c.readUntilClosed();
            assertThat(got.length).isPositive();
            assertThat(got[0] & 0xff).isEqualTo(0x1f);
            assertThat(containsMarker(got)).isFalse();
        }
    }

    @Test
    void garbageIsNoGzipButIsFramedAndTheConnectionStaysUsable() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.garbage());
            sendGetVersion(c);
            byte[] payload = c.readFramePayload();
            assertThat(payload.length).isPositive();
            assertThat(payload[0] & 0xff).isNotEqualTo(0x1f);
            assertThat(containsMarker(payload)).isFalse();
            result(c.call(GET_VERSION), 0, "get_version");
        }
    }

    @Test
    void oversizedSendsAValidMessageOfAtLeastThatManyCompressedBytes() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.oversized(300_000));
            sendGetVersion(c);
            byte[] payload = c.readFramePayload();
            assertThat(payload.length).isGreaterThanOrEqualTo(300_000);
            assertThat(containsMarker(payload)).isFalse();
            JsonNode msg = RawClient.parse(new String(RawClient.gunzip(payload), StandardCharsets.UTF_8));
            assertThat(msg.get("session").asText()).isEqualTo(c.session());
            assertThat(msg.get("data").asText().length()).isGreaterThan(300_000);
        }
    }

    @Test
    void brokenDeflateFailsAtItsFirstByteAndHoldsTheWholeReplyBehindOneByte() throws IOException {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.brokenDeflate());
            sendGetVersion(c);
            byte[] payload = c.readFramePayload();

            assertThatThrownBy(() -> new GZIPInputStream(new ByteArrayInputStream(payload)).read())
                    .isInstanceOf(java.util.zip.ZipException.class).hasMessageContaining("block type");
            // The block was of fixed or dynamic Huffman codes (01 or 10): one of the two gives the reply back.
            byte broken = payload[10];
            List<String> mended = new ArrayList<>();
            for (int type : new int[] {0x02, 0x04}) {
                payload[10] = (byte) (broken & ~0x06 | type);
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                    mended.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the other type
                }
            }
            assertThat(mended).singleElement().asString()
                    .startsWith("{\"session\": \"" + c.session() + "\"").contains("\"core\"");
        }
    }

    @Test
    void lengthFaultsAreRefusedOnAG1Server() {
        assertThatThrownBy(() -> faults().nextReply(Fault.lyingLength(1000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("G2 fault");
    }

    @Test
    void gzipBombIsSmallOnTheWireAndHugeDecompressed() throws IOException {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.gzipBomb(30_000_000L));
            sendGetVersion(c);
            byte[] payload = c.readFramePayload();
            assertThat(payload.length).isLessThan(200_000);
            long total = 0;
            byte[] head = new byte[200];
            int headLen = 0;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (headLen < head.length) {
                        int k = Math.min(n, head.length - headLen);
                        System.arraycopy(buf, 0, head, headLen, k);
                        headLen += k;
                    }
                    total += n;
                }
            }
            assertThat(total).isGreaterThan(30_000_000L);
            assertThat(new String(head, 0, headLen, StandardCharsets.US_ASCII))
                    .startsWith("{\"session\": \"" + c.session() + "\", \"name\": \"" + hpx.server().serverName() + "\", \"data\": null}   ");
        }
    }

    @Test
    void noReplySwallowsTheReplyAndKeepsTheConnection() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.noReply());
            sendGetVersion(c);
            assertThat(c.silentFor(300)).isTrue();
            result(c.call(GET_VERSION), 0, "get_version");
        }
    }

    @Test
    void closeClosesInsteadOfReplying() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.close());
            sendGetVersion(c);
            assertThat(c.readUntilClosed()).isEmpty();
        }
    }

    @Test
    void faultsApplyInQueueOrderToWhicheverConnectionRepliesNext() {
        try (RawClient a = RawClient.guest(hpx.server()); RawClient b = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.garbage()).nextReply(Fault.noReply());
            assertThat(faults().pendingReplyFaults()).isEqualTo(2);
            sendGetVersion(b);
            assertThat(b.readFramePayload()[0] & 0xff).isNotEqualTo(0x1f);
            sendGetVersion(a);
            assertThat(a.silentFor(300)).isTrue();
            result(a.call(GET_VERSION), 0, "get_version");
            assertThat(faults().pendingReplyFaults()).isZero();
        }
    }

    @Test
    void clearForgetsQueuedFaults() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.close()).closeAfterMessages(1).clear();
            result(c.call(GET_VERSION), 0, "get_version");
            result(c.call(GET_VERSION), 0, "get_version");
        }
    }

    @Test
    void closeAfterMessagesClosesEveryConnectionAfterItsNthAnsweredMessage() {
        faults().closeAfterMessages(2);
        try (RawClient c = RawClient.guest(hpx.server())) {
            result(c.call(GET_VERSION), 0, "get_version");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void welcomeFaultsApplyToTheNextWelcomeOnly() {
        faults().nextWelcome(Fault.garbage());
        try (RawClient c = RawClient.connect(hpx.server())) {
            assertThat(c.readFramePayload()[0] & 0xff).isNotEqualTo(0x1f);
        }
        try (RawClient c = RawClient.connect(hpx.server())) {
            assertThat(c.read().path("data").has("version")).isTrue();
        }
    }
}
