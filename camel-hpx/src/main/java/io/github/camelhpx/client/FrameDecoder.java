package io.github.camelhpx.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into HPX frames at the first {@code <EOF>} after each frame's start.
 * <p>
 * Every byte is examined once: the scan position and the length of a partly matched delimiter survive between
 * reads, so a delimiter split across reads is still found and a large frame costs time linear in its size.
 * Bytes after a delimiter stay buffered for the next frame. The buffer never grows past
 * {@code maxFrameSize} plus one read, so a peer that never sends a delimiter cannot exhaust memory.
 * <p>
 * Not thread-safe: one decoder per connection, used in lock-step.
 */
final class FrameDecoder {

    static final byte[] DELIMITER = {'<', 'E', 'O', 'F', '>'};

    private static final int INITIAL_CAPACITY = 8 * 1024;
    // A buffer grown for one big reply is given back once that reply is consumed.
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    private final long maxFrameSize;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int frameStart;
    private int scanned;
    private int limit;
    private int matched;

    FrameDecoder(long maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        this.maxFrameSize = maxFrameSize;
    }

    /** A frame's payload: a view of the decoder's buffer, valid until the next {@link #read(InputStream)}. */
    record Frame(byte[] bytes, int offset, int length) {
    }

    /**
     * Reads until one whole frame is buffered and returns its payload (the bytes before {@code <EOF>}).
     *
     * @throws HpxServerDisconnectedException when the stream ends, with or without a partial frame
     * @throws HpxProtocolException           when the payload grows beyond {@code maxFrameSize}
     */
    Frame read(InputStream in) throws IOException {
        discardConsumed();
        while (true) {
            int end = scan();
            if (end >= 0) {
                int start = frameStart;
                frameStart = end;
                return new Frame(buffer, start, end - DELIMITER.length - start);
            }
            fill(in);
        }
    }

    /**
     * Ends the use of the last frame: drops its bytes now rather than at the next read, so a connection that
     * goes idle after a big reply does not keep the buffer it grew for it.
     */
    void release() {
        discardConsumed();
    }

    /** The buffer's current size in bytes. */
    int capacity() {
        return buffer.length;
    }

    /** Whether bytes of a next frame are already buffered. */
    boolean hasBufferedBytes() {
        return limit > frameStart;
    }

    /** Returns the index after the delimiter, or -1 when the buffered bytes hold no complete frame. */
    private int scan() {
        byte[] buf = buffer;
        int m = matched;
        for (int i = scanned; i < limit; i++) {
            byte b = buf[i];
            if (b == DELIMITER[m]) {
                if (++m == DELIMITER.length) {
                    matched = 0;
                    scanned = i + 1;
                    return i + 1;
                }
            } else {
                // '<' occurs only at the delimiter's start, so a mismatch restarts at 0 or 1.
                m = b == '<' ? 1 : 0;
            }
        }
        matched = m;
        scanned = limit;
        long payloadSoFar = (long) scanned - frameStart - matched;
        if (payloadSoFar > maxFrameSize) {
            throw new HpxProtocolException("HPX frame exceeds maxMessageSize of " + maxFrameSize + " bytes");
        }
        return -1;
    }

    private void fill(InputStream in) throws IOException {
        if (limit == buffer.length) {
            grow();
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            boolean midFrame = limit > frameStart;
            throw new HpxServerDisconnectedException(midFrame
                    ? "HPX server closed the connection in the middle of a message"
                    : "HPX server closed the connection", midFrame);
        }
        limit += n;
    }

    private void grow() {
        // Room for the largest allowed payload, its delimiter and one more read, no more.
        long cap = maxFrameSize + DELIMITER.length + INITIAL_CAPACITY;
        int newCapacity = (int) Math.min(Math.min((long) buffer.length * 2, cap), Integer.MAX_VALUE - 8);
        if (newCapacity <= buffer.length) {
            throw new HpxProtocolException("HPX frame exceeds maxMessageSize of " + maxFrameSize + " bytes");
        }
        buffer = Arrays.copyOf(buffer, newCapacity);
    }

    private void discardConsumed() {
        if (frameStart == 0) {
            return;
        }
        int remaining = limit - frameStart;
        if (buffer.length > RETAINED_CAPACITY && remaining <= INITIAL_CAPACITY) {
            byte[] smaller = new byte[INITIAL_CAPACITY];
            System.arraycopy(buffer, frameStart, smaller, 0, remaining);
            buffer = smaller;
        } else {
            System.arraycopy(buffer, frameStart, buffer, 0, remaining);
        }
        scanned -= frameStart;
        limit = remaining;
        frameStart = 0;
    }
}
