package io.github.camelhpx.client.internal;

import static io.github.camelhpx.client.internal.Frames.frames;
import static io.github.camelhpx.client.internal.Frames.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import io.github.camelhpx.client.HpxProtocolException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long LIMIT = 1024 * 1024;

    private final MessageCodec codec = new MessageCodec(MAPPER, 5, LIMIT);

    @AfterEach
    void release() {
        codec.close();
    }

    private JsonNode decode(byte[] payload) throws IOException {
        return codec.decode(new FrameDecoder(LIMIT).read(new ByteArrayInputStream(frames(payload))));
    }

    @Test
    void encodesOneGzipMemberFollowedByTheDelimiter() throws IOException {
        GrowableBuffer frame = codec.encode("abc", "client", TextNode.valueOf("grüße"));
        byte[] wire = Arrays.copyOf(frame.array(), frame.size());

        assertThat(Arrays.copyOfRange(wire, wire.length - 5, wire.length)).isEqualTo(FrameDecoder.DELIMITER);
        byte[] gz = Arrays.copyOf(wire, wire.length - 5);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"session\":\"abc\",\"name\":\"client\",\"data\":\"grüße\"}");
        }
    }

    @Test
    void reusedCodecEncodesAndDecodesManyMessages() throws IOException {
        for (int i = 0; i < 200; i++) {
            GrowableBuffer frame = codec.encode("s", "c", MAPPER.valueToTree(java.util.Map.of("i", i)));
            byte[] wire = Arrays.copyOf(frame.array(), frame.size());
            JsonNode root = codec.decode(new FrameDecoder(LIMIT).read(new ByteArrayInputStream(wire)));
            assertThat(root.path("data").path("i").intValue()).isEqualTo(i);
        }
    }

    @Test
    void decodesGzipWithHeaderFieldsAsPythonWritesThem() throws IOException {
        byte[] plain = gzip("{\"session\": \"\", \"name\": \"srv\", \"data\": 1}");
        // FNAME flag with a file name, XFL 02 as the real server sends.
        ByteArrayOutputStream withName = new ByteArrayOutputStream();
        withName.write(plain, 0, 3);
        withName.write(8);
        withName.write(plain, 4, 4);
        withName.write(2);
        withName.write(plain[9]);
        withName.writeBytes("payload.json\0".getBytes(StandardCharsets.US_ASCII));
        withName.write(plain, 10, plain.length - 10);

        assertThat(decode(withName.toByteArray()).path("name").asText()).isEqualTo("srv");
    }

    @Test
    void emptyPayloadIsNotGzip() {
        assertThatThrownBy(() -> decode(new byte[0]))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message is not gzip-compressed");
    }

    @Test
    void plainJsonIsNotGzip() {
        assertThatThrownBy(() -> decode("{\"session\": \"\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message is not gzip-compressed");
    }

    @Test
    void truncatedGzipIsReported() {
        byte[] full = gzip("{\"session\": \"\", \"name\": \"x\", \"data\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}");
        assertThatThrownBy(() -> decode(Arrays.copyOf(full, full.length - 12)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decode(Arrays.copyOf(full, full.length - 3)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("truncated");
    }

    @Test
    void corruptCrcIsReported() {
        byte[] bad = gzip("{\"data\": 1}");
        bad[bad.length - 8] ^= 0x55;
        assertThatThrownBy(() -> decode(bad))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message failed the gzip CRC check");
    }

    @Test
    void invalidUtf8IsReported() {
        byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> decode(gzip(json)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON");
    }

    @Test
    void invalidJsonAndTrailingValuesAreReported() {
        assertThatThrownBy(() -> decode(gzip("{\"a\": ")))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON");
        assertThatThrownBy(() -> decode(gzip("{} {}")))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON");
        assertThatThrownBy(() -> decode(gzip("   ")))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message is empty");
    }

    @Test
    void aTokenQuotedByTheParserIsMaskedWhenItMayBeASessionId() {
        String sessionLike = "abcdef0123456789abcdef0123456789";
        Throwable failure = catchThrowable(() -> decode(gzip("{\"session\": " + sessionLike + "}")));

        assertThat(failure).isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON")
                .hasMessageNotContaining(sessionLike).hasNoCause();
    }

    @Test
    void gzipBombStopsAtTheLimit() {
        // 200 MB of spaces compress to about 200 KB; the codec must stop after LIMIT bytes.
        byte[] bomb = bombOfSpaces(200L * 1024 * 1024);
        assertThat(bomb.length).isLessThan((int) LIMIT);
        long before = usedHeap();
        assertThatThrownBy(() -> decode(bomb))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessage("HPX message decompresses to more than maxMessageSize of " + LIMIT + " bytes");
        assertThat(usedHeap() - before).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void contentUpToTheLimitIsAccepted() throws IOException {
        String padding = " ".repeat((int) LIMIT - 2);
        assertThat(decode(gzip(padding + "{}")).isObject()).isTrue();
    }

    @Test
    void aDecodedFrameIsNotKeptByTheCodec() throws IOException {
        for (boolean asBytes : new boolean[] {false, true}) {
            byte[] wire = frames(gzip("{\"data\": \"" + "x".repeat(100_000) + "\"}"));
            FrameDecoder.Frame frame = new FrameDecoder(LIMIT).read(new ByteArrayInputStream(wire));
            WeakReference<byte[]> buffer = new WeakReference<>(frame.bytes());
            if (asBytes) {
                codec.decodeBytes(frame);
            } else {
                codec.decode(frame);
            }
            wire = null;
            frame = null;

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                System.gc();
                return buffer.get() == null;
            });
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static byte[] bombOfSpaces(long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) ' ');
            for (long written = 0; written < size; written += block.length) {
                gz.write(block);
            }
            gz.write("{}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
