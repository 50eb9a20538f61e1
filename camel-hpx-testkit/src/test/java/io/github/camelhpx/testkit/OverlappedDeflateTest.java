package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replies bigger than a chunk are deflated on a helper thread while their JSON is written; nothing shows on the wire. */
class OverlappedDeflateTest {

    private static final int STRINGS = 20;

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .library(SampleLibrary.galleries(2000))
            .function(FunctionSpec.of("fail_half_way").handler(call -> (LazyJson) w -> {
                // many small writes, so that the JSON passes the chunk size before it fails
                w.beginArray();
                for (int i = 0; i < STRINGS; i++) {
                    w.string("x".repeat(OverlappedDeflate.CHUNK / 4));
                    w.separator();
                }
                throw new IllegalStateException("failed half-way");
            })));

    private static long deflateThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(hpx.server().threadPrefix()) && t.getName().endsWith("-deflate"))
                .count();
    }

    @Test
    void aBigReplyIsTheFrameOfOneDeflateCall() {
        byte[] payload;
        try (RawClient c = RawClient.guest(hpx.server())) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [{\"fname\": \"get_items\", \"limit\": 2000}]}");
            payload = c.readFramePayload();
        }
        byte[] json = RawClient.gunzip(payload);
        assertThat(json.length).isGreaterThan(4 * OverlappedDeflate.CHUNK);
        assertThat(Arrays.copyOfRange(payload, 10, payload.length - 8)).isEqualTo(deflateLevel5(json));
        assertThat(Arrays.copyOfRange(payload, 0, 4)).containsExactly(0x1f, 0x8b, 8, 0);
        assertThat(Arrays.copyOfRange(payload, 8, 10)).containsExactly(2, 0xff);
        await().until(() -> deflateThreads() == 0);
    }

    @Test
    void aReplyFailingHalfWayClosesTheConnectionAndLeavesNoHelper() {
        try (RawClient c = RawClient.guest(hpx.server())) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [{\"fname\": \"fail_half_way\"}]}");
            assertThat(c.closedByServer()).isTrue();
        }
        await().until(() -> deflateThreads() == 0);
        try (RawClient c = RawClient.guest(hpx.server())) {
            assertThat(c.callOne("{\"fname\": \"get_count\"}").path("data").path(0).path("data").path("count").asInt())
                    .isEqualTo(2000);
        }
    }

    private static byte[] deflateLevel5(byte[] data) {
        Deflater deflater = new Deflater(5, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
