package io.github.camelhpx.client.internal;

import java.util.Arrays;

import io.github.camelhpx.client.HpxProtocolException;

/**
 * G2 framing: one MessagePack value, then {@code <EOF>}.
 * <p>
 * MessagePack is self-delimiting, so the value's end is found from its headers, not by looking for the
 * delimiter: a string that contains {@code <EOF>} (a title, a path, a search query) does not cut the frame, and
 * the delimiter is then required right after the value. Headers are followed incrementally across reads (the
 * counts of the containers still open, the bytes of a string still to skip), so a big frame costs time linear in
 * its size; a declared length that cannot fit {@code maxFrameSize} and nesting deeper than {@link #MAX_DEPTH}
 * fail at once, before anything is allocated for them, and so does a frame of more values than
 * {@link DecodingLimits} allows.
 */
public final class MsgpackFrameDecoder extends FrameBuffer {

    /** Deeper values are refused; the same bound as Jackson's default nesting limit. */
    static final int MAX_DEPTH = 1000;

    private final long maxValues;
    private long values;
    private int pos;
    private long skip;
    private long[] open = new long[16];
    private int depth;
    private boolean started;

    MsgpackFrameDecoder(long maxFrameSize) {
        super(maxFrameSize);
        this.maxValues = DecodingLimits.maxTokens(maxFrameSize);
    }

    @Override
    protected int scan() {
        if (!started) {
            started = true;
            depth = 1;
            open[0] = 1;
            pos = frameStart;
        }
        // A string's bytes may still be due after its header closed the last container.
        while (depth > 0 || skip > 0) {
            if (skip > 0) {
                int take = (int) Math.min(skip, limit - pos);
                pos += take;
                skip -= take;
                if (skip > 0) {
                    return -1;
                }
                continue;
            }
            if (!header()) {
                return -1;
            }
        }
        if (limit - pos < DELIMITER.length) {
            return -1;
        }
        for (int i = 0; i < DELIMITER.length; i++) {
            if (buffer[pos + i] != DELIMITER[i]) {
                throw new HpxProtocolException("HPX message is not followed by <EOF> after its MessagePack value");
            }
        }
        return pos + DELIMITER.length;
    }

    /** Consumes one value's header if it is wholly buffered; false when more bytes are needed. */
    private boolean header() {
        if (pos >= limit) {
            return false;
        }
        int b = buffer[pos] & 0xff;
        int lengthBytes = lengthBytes(b);
        if (limit - pos < 1 + lengthBytes) {
            return false;
        }
        long length = lengthBytes == 0 ? 0 : readLength(pos + 1, lengthBytes);
        pos += 1 + lengthBytes;
        // Counted from this frame's start: bytes of the next frame may already be buffered behind it.
        if (pos - frameStart > maxFrameSize) {
            throw tooBig();
        }
        if (++values > maxValues) {
            throw new HpxProtocolException("HPX message holds more than " + maxValues + " values, the limit for a"
                    + " maxMessageSize of " + maxFrameSize + " bytes");
        }
        open[depth - 1]--;
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            // fixint, nil, booleans: the header is the whole value
        } else if (b <= 0x8f) {
            container(2L * (b & 0x0f));
        } else if (b <= 0x9f) {
            container(b & 0x0f);
        } else if (b <= 0xbf) {
            payload(b & 0x1f);
        } else if (b == 0xde || b == 0xdf) {
            container(2 * length);
        } else if (b == 0xdc || b == 0xdd) {
            container(length);
        } else if ((b >= 0xc7 && b <= 0xc9) || (b >= 0xd4 && b <= 0xd8)) {
            // HPX sends none, and a tree cannot carry one: refused here rather than half-decoded later.
            throw new HpxProtocolException("HPX message holds a MessagePack extension value (type 0x"
                    + Integer.toHexString(b) + "), which HPX does not send");
        } else {
            payload(payloadBytes(b, length));
        }
        while (depth > 0 && open[depth - 1] == 0) {
            depth--;
        }
        return true;
    }

    private void container(long items) {
        if (items == 0) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw new HpxProtocolException("HPX message is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, open.length * 2);
        }
        open[depth++] = items;
    }

    private void payload(long bytes) {
        if ((long) pos - frameStart + bytes > maxFrameSize) {
            throw tooBig();
        }
        skip = bytes;
    }

    /** Bytes of length (or count) after the header byte: 0 for types whose size the header byte gives. */
    private static int lengthBytes(int b) {
        return switch (b) {
            case 0xc4, 0xc7, 0xd9 -> 1;
            case 0xc5, 0xc8, 0xda, 0xdc, 0xde -> 2;
            case 0xc6, 0xc9, 0xdb, 0xdd, 0xdf -> 4;
            case 0xc1 -> throw new HpxProtocolException("HPX message is not MessagePack (byte 0xc1)");
            default -> 0;
        };
    }

    /** The bytes that follow the header and its length for scalars, strings, binaries and extensions. */
    private static long payloadBytes(int b, long length) {
        return switch (b) {
            case 0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb -> length;
            case 0xc7, 0xc8, 0xc9 -> length + 1;
            case 0xca, 0xce, 0xd2 -> 4;
            case 0xcb, 0xcf, 0xd3 -> 8;
            case 0xcc, 0xd0 -> 1;
            case 0xcd, 0xd1 -> 2;
            case 0xd4 -> 2;
            case 0xd5 -> 3;
            case 0xd6 -> 5;
            case 0xd7 -> 9;
            case 0xd8 -> 17;
            default -> throw new IllegalStateException("unhandled MessagePack header 0x" + Integer.toHexString(b));
        };
    }

    private long readLength(int at, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (buffer[at + i] & 0xff);
        }
        return value;
    }

    @Override
    protected void frameTaken() {
        started = false;
        values = 0;
        skip = 0;
    }

    @Override
    protected void shifted(int shift) {
        pos -= shift;
    }
}
