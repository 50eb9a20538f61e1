package io.github.camelhpx.client.internal;

import static io.github.camelhpx.client.internal.Frames.ascii;
import static io.github.camelhpx.client.internal.Frames.frames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private static byte[] payload(FrameDecoder.Frame frame) {
        return Arrays.copyOfRange(frame.bytes(), frame.offset(), frame.offset() + frame.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 1000})
    void findsEveryFrameWhateverTheReadSize(int chunk) throws IOException {
        byte[] wire = frames(ascii("first"), ascii("<EO<E<EOF"), ascii(""), ascii("last <"));
        FrameDecoder decoder = new FrameDecoder(1024);
        InputStream in = new ChunkedInputStream(wire, chunk);

        assertThat(payload(decoder.read(in))).isEqualTo(ascii("first"));
        // Partial delimiters inside a payload are content, not boundaries.
        assertThat(payload(decoder.read(in))).isEqualTo(ascii("<EO<E<EOF"));
        assertThat(payload(decoder.read(in))).isEmpty();
        assertThat(payload(decoder.read(in))).isEqualTo(ascii("last <"));
    }

    @Test
    void delimiterSplitAcrossReadsIsFound() throws IOException {
        byte[] wire = frames(ascii("abc"));
        // Reads: "abc<E", "OF>"
        InputStream in = new InputStream() {
            private final byte[][] parts = {ascii("abc<E"), ascii("OF>")};
            private int next;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next == parts.length) {
                    return -1;
                }
                byte[] part = parts[next++];
                System.arraycopy(part, 0, b, off, part.length);
                return part.length;
            }
        };
        assertThat(wire).hasSize(8);
        assertThat(payload(new FrameDecoder(100).read(in))).isEqualTo(ascii("abc"));
    }

    @Test
    void twoFramesInOneReadAreBothReturnedAndTheRestIsKept() throws IOException {
        byte[] wire = frames(ascii("one"), ascii("two"), ascii("thr"));
        byte[] partial = Arrays.copyOf(wire, wire.length - 2); // the third frame lacks "F>"
        ChunkedInputStream in = new ChunkedInputStream(partial, partial.length);
        FrameDecoder decoder = new FrameDecoder(100);

        assertThat(payload(decoder.read(in))).isEqualTo(ascii("one"));
        assertThat(payload(decoder.read(in))).isEqualTo(ascii("two"));
        assertThat(in.reads).isEqualTo(1);
        assertThat(decoder.hasBufferedBytes()).isTrue();
        assertThatThrownBy(() -> decoder.read(in))
                .isInstanceOf(HpxServerDisconnectedException.class)
                .hasMessageContaining("middle of a message");
    }

    @Test
    void cleanEndOfStreamIsAServerDisconnect() {
        assertThatThrownBy(() -> new FrameDecoder(100).read(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(HpxServerDisconnectedException.class)
                .hasMessage("HPX server closed the connection");
    }

    @Test
    void frameOverTheLimitIsRejectedBeforeItsDelimiterArrives() {
        byte[] endless = new byte[10_000];
        Arrays.fill(endless, (byte) 'x');
        ChunkedInputStream in = new ChunkedInputStream(endless, 256);

        assertThatThrownBy(() -> new FrameDecoder(1000).read(in))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessageContaining("maxMessageSize of 1000");
        // Stopped after about the limit, not after reading everything.
        assertThat(in.reads).isLessThanOrEqualTo(1000 / 256 + 2);
    }

    /** The limit holds for a frame whose delimiter came in the same read as all of it. */
    @Test
    void frameOverTheLimitIsRejectedWhenItArrivesWhole() {
        byte[] content = new byte[8000];
        Arrays.fill(content, (byte) 'a');

        assertThatThrownBy(() -> new FrameDecoder(1000).read(new ByteArrayInputStream(frames(content))))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessageContaining("maxMessageSize of 1000");
    }

    @Test
    void frameExactlyAtTheLimitIsAccepted() throws IOException {
        byte[] content = new byte[1000];
        Arrays.fill(content, (byte) 'y');
        FrameDecoder.Frame frame = new FrameDecoder(1000).read(new ByteArrayInputStream(frames(content)));
        assertThat(frame.length()).isEqualTo(1000);
    }

    @Test
    void largeFramesAfterSmallOnesKeepTheirBytes() throws IOException {
        Random random = new Random(7);
        byte[] big = new byte[3_000_000];
        random.nextBytes(big);
        // Random bytes may contain "<EOF>" by chance; take them out so the frame stays one frame.
        for (int i = 0; i < big.length; i++) {
            if (big[i] == '<') {
                big[i] = 'x';
            }
        }
        byte[] wire = frames(ascii("small"), big, ascii("after"));
        FrameDecoder decoder = new FrameDecoder(4_000_000);
        InputStream in = new ChunkedInputStream(wire, 65536);

        assertThat(payload(decoder.read(in))).isEqualTo(ascii("small"));
        assertThat(payload(decoder.read(in))).isEqualTo(big);
        assertThat(payload(decoder.read(in))).isEqualTo(ascii("after"));
    }

    @Test
    void releasingABigFrameGivesItsBufferBack() throws IOException {
        byte[] big = new byte[3_000_000];
        Arrays.fill(big, (byte) 'x');
        FrameDecoder decoder = new FrameDecoder(4_000_000);
        decoder.read(new ChunkedInputStream(frames(big), 65536));
        assertThat(decoder.capacity()).isGreaterThan(3_000_000);

        decoder.release();

        assertThat(decoder.capacity()).isLessThan(64 * 1024);
    }
}
