package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;

import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** What the G2 codec reads of a reply, and what its thread keeps of it afterwards: nothing, however it was read. */
class MsgpackCodecTest {

    private static final long LIMIT = 1024 * 1024;

    private final MsgpackCodec codec = new MsgpackCodec(MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT), LIMIT);

    private static byte[] reply() throws Exception {
        return new ObjectMapper(new MessagePackFactory()).writeValueAsBytes(Map.of("__id__", 1, "session", "",
                "name", "test", "data", List.of(Map.of("fname", "get_version", "data", "x".repeat(100_000)))));
    }

    private static byte[] results(Object... results) throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("__id__", 7);
        message.put("session", "s");
        message.put("data", List.of(results));
        return new ObjectMapper(new MessagePackFactory()).writeValueAsBytes(message);
    }

    @Test
    void aLostSessionIsFoundInAnyResultOfARawReplyAndOnlyThere() throws Exception {
        Map<String, Object> fine = Map.of("fname", "a", "data", Map.of("error", Map.of("code", 407)));
        Map<String, Object> notFound = Map.of("fname", "b", "error", Map.of("code", 404, "msg", "no"));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("msg", "gone");
        error.put("code", 407);
        Map<String, Object> loggedOut = new LinkedHashMap<>();
        loggedOut.put("fname", "c");
        loggedOut.put("error", error);

        assertThat(codec.reportsLostSession(results(fine, notFound, loggedOut))).isTrue();
        assertThat(codec.reportsLostSession(results(fine, notFound))).as("a 407 inside a result's data").isFalse();
        byte[] cut = results(fine, notFound, loggedOut);
        // The code is the message's last value: cut, it is no code.
        assertThat(codec.reportsLostSession(Arrays.copyOf(cut, cut.length - 1))).isFalse();
        assertThat(codec.reportsLostSession(new byte[] {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isFalse();
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

    /**
     * A raw reply that a caller read for another call is copied out of the decoder's buffer once, when it is handed
     * to the reader thread; the raw reply then keeps that copy. A view of the buffer is copied, since the buffer is
     * read on into.
     */
    @Test
    void theRawBytesOfADetachedFrameAreItsOwnArrayAndAViewsAreACopy() throws Exception {
        byte[] message = reply();
        byte[] buffer = Arrays.copyOf(message, message.length + 5);
        FrameBuffer.Frame view = new FrameBuffer.Frame(buffer, 0, message.length);
        FrameBuffer.Frame detached = view.detach();

        byte[] fromView = codec.decodeBytes(view);
        assertThat(fromView).isNotSameAs(buffer).isEqualTo(message);
        assertThat(codec.decodeBytes(detached)).isSameAs(detached.bytes()).isEqualTo(message);
        buffer[0] = 0;
        assertThat(fromView).as("nothing of the view's buffer is shared").isEqualTo(message);
        assertThat(detached.bytes()).as("nor of the detached frame").isEqualTo(message);
    }
}
