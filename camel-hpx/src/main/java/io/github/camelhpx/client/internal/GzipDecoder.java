package io.github.camelhpx.client.internal;

import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.github.camelhpx.client.HpxProtocolException;

/**
 * Streams the content of one gzip member out of a byte range with a reused {@link Inflater}, counting what it
 * produces: past {@code maxSize} it stops with an {@link HpxProtocolException}, so a gzip bomb costs no more
 * memory than the limit allows. The CRC and length in the trailer are checked when the content ends.
 * <p>
 * Not thread-safe; {@link #open} starts the next member.
 */
public final class GzipDecoder extends InputStream {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int TRAILER_LENGTH = 8;
    // Deflate expands at most 1032-fold: a trailer claiming more than that is a lie, not a reason to allocate.
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final byte[] NO_INPUT = new byte[0];

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] one = new byte[1];
    private final long maxSize;
    private byte[] source;
    private int sourceEnd;
    private long produced;
    private boolean ended;

    GzipDecoder(long maxSize) {
        this.maxSize = maxSize;
    }

    /** Starts decoding the gzip member in {@code bytes[offset..offset+length)}. */
    GzipDecoder open(byte[] bytes, int offset, int length) {
        this.source = bytes;
        this.sourceEnd = offset + length;
        this.produced = 0;
        this.ended = false;
        crc.reset();
        inflater.reset();
        int bodyStart = skipHeader(offset);
        inflater.setInput(bytes, bodyStart, sourceEnd - bodyStart);
        return this;
    }

    /**
     * The whole content in one array sized from the length the gzip trailer declares, so a big message is
     * inflated once, straight into its final place. A declared length beyond {@code maxSize} fails before
     * anything is allocated; content that does not match it fails like a wrong trailer.
     */
    byte[] readFully() {
        byte[] content = new byte[declaredLength()];
        int filled = 0;
        while (filled < content.length) {
            int n = read(content, filled, content.length - filled);
            if (n < 0) {
                throw wrongLength();
            }
            filled += n;
        }
        if (read() >= 0) {
            throw wrongLength();
        }
        return content;
    }

    @Override
    public int read() {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = inflater.inflate(b, off, (int) Math.min(len, maxSize - produced + 1));
        } catch (DataFormatException e) {
            throw new HpxProtocolException("HPX message has corrupt gzip data: " + e.getMessage(), e);
        }
        if (n > 0) {
            produced += n;
            if (produced > maxSize) {
                throw tooLarge();
            }
            crc.update(b, off, n);
            return n;
        }
        if (inflater.finished()) {
            checkTrailer();
            ended = true;
            // The frame's buffer may be big and is about to be given back: hold on to nothing of it (an
            // Inflater keeps its input array until it gets another).
            source = null;
            inflater.setInput(NO_INPUT);
            return -1;
        }
        if (inflater.needsInput()) {
            throw new HpxProtocolException("HPX message is truncated: the gzip data ends early");
        }
        throw new HpxProtocolException("HPX message has gzip data that needs a preset dictionary");
    }

    private int skipHeader(int offset) {
        int p = offset;
        if (sourceEnd - p < 10 || (source[p] & 0xff) != 0x1f || (source[p + 1] & 0xff) != 0x8b) {
            throw new HpxProtocolException("HPX message is not gzip-compressed");
        }
        if (source[p + 2] != 8) {
            throw new HpxProtocolException("HPX message uses an unknown gzip compression method " + source[p + 2]);
        }
        int flags = source[p + 3] & 0xff;
        p += 10;
        if ((flags & FEXTRA) != 0) {
            require(p + 2);
            p += 2 + ((source[p] & 0xff) | (source[p + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) {
            p = skipZeroTerminated(p);
        }
        if ((flags & FCOMMENT) != 0) {
            p = skipZeroTerminated(p);
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        require(p);
        return p;
    }

    private int skipZeroTerminated(int p) {
        while (p < sourceEnd && source[p] != 0) {
            p++;
        }
        require(p + 1);
        return p + 1;
    }

    private void require(int position) {
        if (position > sourceEnd) {
            throw new HpxProtocolException("HPX message is truncated: the gzip header ends early");
        }
    }

    private void checkTrailer() {
        int trailer = sourceEnd - inflater.getRemaining();
        if (sourceEnd - trailer < TRAILER_LENGTH) {
            throw new HpxProtocolException("HPX message is truncated: the gzip trailer is missing");
        }
        if (sourceEnd - trailer > TRAILER_LENGTH) {
            throw new HpxProtocolException("HPX message has bytes after its gzip data");
        }
        if (readIntLittleEndian(trailer) != (int) crc.getValue()) {
            throw new HpxProtocolException("HPX message failed the gzip CRC check");
        }
        if (readIntLittleEndian(trailer + 4) != (int) produced) {
            throw wrongLength();
        }
    }

    private int declaredLength() {
        int bodyStart = sourceEnd - inflater.getRemaining();
        if (sourceEnd - bodyStart < TRAILER_LENGTH) {
            throw new HpxProtocolException("HPX message is truncated: the gzip trailer is missing");
        }
        long declared = readIntLittleEndian(sourceEnd - 4) & 0xffffffffL;
        if (declared > maxSize) {
            throw tooLarge();
        }
        if (declared > MAX_ARRAY_LENGTH || declared > (sourceEnd - bodyStart) * MAX_DEFLATE_RATIO) {
            throw new HpxProtocolException("HPX message declares a gzip length of " + declared
                    + " bytes, more than its " + (sourceEnd - bodyStart) + " compressed bytes can hold");
        }
        return (int) declared;
    }

    private HpxProtocolException tooLarge() {
        return new HpxProtocolException("HPX message decompresses to more than maxMessageSize of " + maxSize + " bytes");
    }

    private static HpxProtocolException wrongLength() {
        return new HpxProtocolException("HPX message has a wrong gzip length");
    }

    private int readIntLittleEndian(int p) {
        return (source[p] & 0xff) | (source[p + 1] & 0xff) << 8 | (source[p + 2] & 0xff) << 16
                | (source[p + 3] & 0xff) << 24;
    }

    @Override
    public void close() {
        // Reused across messages; released by end().
    }

    void end() {
        inflater.end();
    }
}
