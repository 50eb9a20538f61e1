package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits the inbound byte stream at each {@code <EOF>}. Every byte is scanned once (the scan resumes where
 * it stopped), and a frame that grows past the limit without a marker ends the connection.
 */
final class FrameReader {

    /** Thrown when a peer sends more than the limit without an {@code <EOF>}. */
    static final class FrameTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        FrameTooLarge(long limit) {
            super("inbound frame larger than " + limit + " bytes");
        }
    }

    private static final int READ_CHUNK = 64 * 1024;

    private final int maxFrame;
    private byte[] buf = new byte[READ_CHUNK];
    private int start;
    private int limit;
    private int scan;
    private int frameOff;
    private int frameLen;

    FrameReader(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /** Finds the next complete frame in what was read so far; see {@link #frameOffset()}/{@link #frameLength()}. */
    boolean nextFrame() {
        byte[] b = buf;
        int i = Math.max(scan, start);
        int last = limit - GzipCodec.EOF_MARKER.length;
        for (; i <= last; i++) {
            if (b[i] == '<' && b[i + 1] == 'E' && b[i + 2] == 'O' && b[i + 3] == 'F' && b[i + 4] == '>') {
                frameOff = start;
                frameLen = i - start;
                start = i + GzipCodec.EOF_MARKER.length;
                scan = start;
                return true;
            }
        }
        scan = Math.max(start, i);
        return false;
    }

    /**
     * Takes the next {@code length} buffered bytes as a frame and skips the {@code <EOF>} after them: for G2,
     * whose reader finds the frame's end by decoding MessagePack instead of scanning for the first marker.
     */
    void takeFrame(int length) {
        frameOff = start;
        frameLen = length;
        start += length + GzipCodec.EOF_MARKER.length;
        scan = start;
    }

    /** Where the bytes not yet taken as frames begin in {@link #buffer()}. */
    int pendingOffset() {
        return start;
    }

    /** Where the bytes read so far end in {@link #buffer()}. */
    int readLimit() {
        return limit;
    }

    byte[] buffer() {
        return buf;
    }

    int frameOffset() {
        return frameOff;
    }

    int frameLength() {
        return frameLen;
    }

    /** Whether bytes of a next frame are already buffered. */
    boolean hasBufferedBytes() {
        return limit > start;
    }

    /** One socket read; returns the byte count or -1 at end of stream. Invalidates the last frame's offsets. */
    int fill(InputStream in) throws IOException {
        if (start > 0 && (limit == buf.length || start == limit || start > buf.length / 2)) {
            int pending = limit - start;
            System.arraycopy(buf, start, buf, 0, pending);
            scan -= start;
            limit = pending;
            start = 0;
        }
        if (limit - start > maxFrame + GzipCodec.EOF_MARKER.length) {
            throw new FrameTooLarge(maxFrame);
        }
        if (buf.length - limit < READ_CHUNK / 4) {
            long grown = Math.min((long) maxFrame + READ_CHUNK, Math.max((long) buf.length * 2, limit + READ_CHUNK));
            byte[] nb = new byte[(int) Math.min(Integer.MAX_VALUE - 16, grown)];
            System.arraycopy(buf, 0, nb, 0, limit);
            buf = nb;
        }
        if (buf.length > READ_CHUNK * 16 && limit - start < READ_CHUNK) {
            // shrink again after a big frame so idle connections hold little memory
            byte[] nb = new byte[READ_CHUNK * 2];
            System.arraycopy(buf, start, nb, 0, limit - start);
            scan -= start;
            limit -= start;
            start = 0;
            buf = nb;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }
}
