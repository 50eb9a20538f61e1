package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;

/**
 * The buffer under a frame decoder: bytes read from the socket, of which the front may be whole frames. A
 * subclass says where a frame ends ({@link #scan()}); this class reads, grows within the size limit, and keeps
 * bytes of the next frame for the next read.
 * <p>
 * The buffer never grows past {@code maxFrameSize} plus one read, so a peer that never ends a frame cannot
 * exhaust memory. Not thread-safe: one decoder per connection, read by one thread at a time.
 */
public abstract class FrameBuffer {

    /** The five bytes that end every frame, in both protocol generations. */
    static final byte[] DELIMITER = {'<', 'E', 'O', 'F', '>'};

    /** Where the first {@link #DELIMITER} stands in the first {@code size} bytes of {@code bytes}, or -1. */
    static int indexOfDelimiter(byte[] bytes, int size) {
        byte[] d = DELIMITER;
        outer:
        for (int i = 0; i + d.length <= size; i++) {
            for (int j = 0; j < d.length; j++) {
                if (bytes[i + j] != d[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static final int INITIAL_CAPACITY = 8 * 1024;
    // A buffer grown for one big reply is given back once that reply is consumed.
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    protected final long maxFrameSize;
    protected byte[] buffer = new byte[INITIAL_CAPACITY];
    protected int frameStart;
    protected int limit;

    FrameBuffer(long maxFrameSize) {
        if (maxFrameSize <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * A frame's payload: a view of the decoder's buffer, valid until the next {@link #read(InputStream)}, or a copy
     * of one ({@code detached}: an array of its own, holding the payload only, which nothing else writes).
     */
    record Frame(byte[] bytes, int offset, int length, boolean detached) {

        Frame(byte[] bytes, int offset, int length) {
            this(bytes, offset, length, false);
        }

        /** This payload in a frame of its own, which outlives the decoder's buffer. */
        Frame detach() {
            return detached ? this : new Frame(ownBytes(), 0, length, true);
        }

        /** The payload in an array of its own: a detached frame's, else a copy. */
        byte[] ownBytes() {
            return detached ? bytes : Arrays.copyOfRange(bytes, offset, offset + length);
        }
    }

    /**
     * Reads until one whole frame is buffered and returns its payload (the bytes before {@code <EOF>}).
     *
     * @throws HpxServerDisconnectedException when the stream ends, with or without a partial frame
     * @throws HpxProtocolException           when the payload grows beyond {@code maxFrameSize} or breaks the framing
     */
    Frame read(InputStream in) throws IOException {
        discardConsumed();
        while (true) {
            int end = scan();
            if (end >= 0) {
                int start = frameStart;
                frameStart = end;
                frameTaken();
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

    /** The bytes of a frame not complete yet (when reading it failed), valid until the next read. */
    Frame pending() {
        return new Frame(buffer, frameStart, limit - frameStart);
    }

    /** Whether bytes of a next frame are already buffered. */
    boolean hasBufferedBytes() {
        return limit > frameStart;
    }

    /**
     * Looks at the bytes buffered since the last call; returns the index after the current frame's delimiter, or
     * -1 when the frame is not complete yet. Called again after every read, so it keeps its own position.
     */
    protected abstract int scan();

    /** Resets the scan state once a frame has been taken; {@code frameStart} is the next frame's start. */
    protected abstract void frameTaken();

    /** Moves the scan state back by {@code shift} bytes when consumed bytes are dropped from the front. */
    protected abstract void shifted(int shift);

    protected HpxProtocolException tooBig() {
        return new HpxProtocolException("HPX frame exceeds maxMessageSize of " + maxFrameSize + " bytes");
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
            throw tooBig();
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
        shifted(frameStart);
        limit = remaining;
        frameStart = 0;
    }
}
