package io.github.camelhpx.client.internal;

import static io.github.camelhpx.client.internal.Frames.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;

import io.github.camelhpx.client.HpxProtocolException;

import org.junit.jupiter.api.Test;

class MsgpackFrameDecoderTest {

    private static final int LIMIT = 1000;

    /** A MessagePack str16 of {@code payloadBytes} bytes in all, its three header bytes included. */
    private static byte[] string(int payloadBytes) {
        int length = payloadBytes - 3;
        byte[] value = new byte[payloadBytes];
        value[0] = (byte) 0xda;
        value[1] = (byte) (length >>> 8);
        value[2] = (byte) length;
        Arrays.fill(value, 3, payloadBytes, (byte) 'x');
        return value;
    }

    private static int length(FrameBuffer.Frame frame) {
        return frame.length();
    }

    @Test
    void aFrameAtTheLimitIsReadWhenTheNextFrameCameInTheSameRead() throws IOException {
        // A reply near the limit with the next reply (multiplexed, or a broadcast) right behind it in one read.
        byte[] wire = frames(string(LIMIT), string(50));
        ChunkedInputStream in = new ChunkedInputStream(wire, wire.length);
        MsgpackFrameDecoder decoder = new MsgpackFrameDecoder(LIMIT);

        assertThat(length(decoder.read(in))).isEqualTo(LIMIT);
        assertThat(length(decoder.read(in))).isEqualTo(50);
        assertThat(in.reads).isEqualTo(1);
    }

    @Test
    void aFrameOneByteOverTheLimitIsRefusedBeforeItsEnd() {
        byte[] wire = frames(string(LIMIT + 1));
        // Without the string's last bytes and the delimiter: refused from the header alone.
        byte[] cut = Arrays.copyOf(wire, 10);

        assertThatThrownBy(() -> new MsgpackFrameDecoder(LIMIT).read(new ChunkedInputStream(cut, cut.length)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
    }

    @Test
    void aFrameOfSmallValuesOverTheLimitIsRefusedBeforeItsEnd() {
        // An array of 10,000 fixints, fewer values than the value limit: each value's header is the whole value, so
        // only the bytes scanned bound the frame.
        byte[] header = {(byte) 0xdc, (byte) (10_000 >>> 8), (byte) 10_000};
        byte[] wire = Arrays.copyOf(header, header.length + 10_000);

        assertThatThrownBy(() -> new MsgpackFrameDecoder(LIMIT).read(new ChunkedInputStream(wire, 64)))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
    }
}
