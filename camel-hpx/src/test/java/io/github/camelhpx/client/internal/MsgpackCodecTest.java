package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** What a G2 reader thread keeps after decoding a reply: nothing of it, however it was read. */
class MsgpackCodecTest {

    private static final long LIMIT = 1024 * 1024;

    private final MsgpackCodec codec = new MsgpackCodec(MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT), LIMIT);

    private static byte[] reply() throws Exception {
        return new ObjectMapper(new MessagePackFactory()).writeValueAsBytes(Map.of("__id__", 1, "session", "",
                "name", "test", "data", List.of(Map.of("fname", "get_version", "data", "x".repeat(100_000)))));
    }

    @Test
    void aReplyBoundToATypeOrParsedWholeIsNotKeptOnTheDecodingThread() throws Exception {
        byte[] bound = reply();
        WeakReference<byte[]> boundFrame = new WeakReference<>(bound);
        codec.decodeBound(new FrameBuffer.Frame(bound, 0, bound.length),
                TypeFactory.defaultInstance().constructType(String.class));
        byte[] raw = reply();
        WeakReference<byte[]> rawMessage = new WeakReference<>(raw);
        codec.parse(raw);
        bound = null;
        raw = null;

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            System.gc();
            return boundFrame.get() == null && rawMessage.get() == null;
        });
    }
}
