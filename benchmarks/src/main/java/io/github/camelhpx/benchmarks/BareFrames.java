package io.github.camelhpx.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The frame codec of the limit, with nothing a minimal correct implementation could leave out and nothing
 * more: a reused {@link Deflater} and {@link Inflater}; a request frame (gzip header, deflate output, CRC and
 * length trailer, {@code <EOF>}) built in one reused array and sent in one write; a reply read into one
 * reused buffer, split at {@code <EOF>} with each byte scanned once, inflated straight into an array sized
 * from the gzip trailer, its CRC and length checked. Not thread-safe.
 */
public final class BareFrames implements AutoCloseable {

    private static final int GZIP_HEADER = 10;
    private static final int GZIP_TRAILER = 8;
    private static final int EOF_LENGTH = 5;

    private final Deflater deflater = new Deflater(5, true);
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private byte[] request = new byte[4096];
    private byte[] buf = new byte[64 * 1024];
    private int frameStart;
    private int frameEnd = -1;
    private int limit;
    private int scanned;
    private byte[] plain = new byte[64 * 1024];

    /** gzip({@code json}) + {@code <EOF>}, built in a reused array and written with one call. */
    public void write(byte[] json, OutputStream out) throws IOException {
        int size = encode(json);
        out.write(request, 0, size);
    }

    /** Builds the frame of {@code json} in the reused request array and returns its length. */
    public int encode(byte[] json) {
        return encode(json, json.length);
    }

    public int encode(byte[] json, int length) {
        int bound = GZIP_HEADER + length + length / 1000 + 64 + GZIP_TRAILER + EOF_LENGTH;
        if (request.length < bound) {
            request = new byte[bound];
        }
        byte[] r = request;
        r[0] = 0x1f;
        r[1] = (byte) 0x8b;
        r[2] = 8;
        Arrays.fill(r, 3, 9, (byte) 0);
        r[9] = (byte) 0xff;
        deflater.reset();
        deflater.setInput(json, 0, length);
        deflater.finish();
        int p = GZIP_HEADER;
        while (!deflater.finished()) {
            p += deflater.deflate(r, p, r.length - p - GZIP_TRAILER - EOF_LENGTH);
        }
        crc.reset();
        crc.update(json, 0, length);
        writeIntLe(r, p, (int) crc.getValue());
        writeIntLe(r, p + 4, length);
        r[p + 8] = '<';
        r[p + 9] = 'E';
        r[p + 10] = 'O';
        r[p + 11] = 'F';
        r[p + 12] = '>';
        return p + GZIP_TRAILER + EOF_LENGTH;
    }

    public byte[] requestArray() {
        return request;
    }

    /** Reads until one whole frame is buffered (bytes after it stay buffered for the next). */
    public void read(InputStream in) throws IOException {
        if (frameEnd >= 0) {
            frameStart = frameEnd + EOF_LENGTH;
            frameEnd = -1;
        }
        if (frameStart > 0) {
            System.arraycopy(buf, frameStart, buf, 0, limit - frameStart);
            limit -= frameStart;
            scanned = Math.max(0, scanned - frameStart);
            frameStart = 0;
        }
        while (true) {
            byte[] b = buf;
            for (int i = Math.max(scanned, 4); i < limit; i++) {
                if (b[i] == '>' && b[i - 1] == 'F' && b[i - 2] == 'O' && b[i - 3] == 'E' && b[i - 4] == '<') {
                    frameEnd = i - 4;
                    scanned = i + 1;
                    return;
                }
            }
            scanned = limit;
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("the stream ended before <EOF>");
            }
            limit += n;
        }
    }

    /** The decompressed size of the frame read last, from its gzip trailer. */
    public int plainSize() {
        return readIntLe(buf, frameEnd - 4);
    }

    /** Inflates the frame read last into a reused buffer ({@link #plain()}); returns its length. */
    public int inflateReused() throws IOException {
        int size = plainSize();
        if (size < 0) {
            throw new IOException("reply larger than 2 GiB");
        }
        if (plain.length < size) {
            plain = new byte[Math.max(size, plain.length * 2)];
        }
        inflateInto(plain, size);
        return size;
    }

    /** Inflates the frame read last into a new array of exactly its size: one allocation, no copy. */
    public byte[] inflateToArray() throws IOException {
        int size = plainSize();
        if (size < 0) {
            throw new IOException("reply larger than 2 GiB");
        }
        byte[] target = new byte[size];
        inflateInto(target, size);
        return target;
    }

    public byte[] plain() {
        return plain;
    }

    /** A copy of the whole frame read last, {@code <EOF>} included, as it came off the wire. */
    public byte[] lastFrame() {
        return Arrays.copyOfRange(buf, frameStart, frameEnd + EOF_LENGTH);
    }

    private void inflateInto(byte[] target, int size) throws IOException {
        int start = frameStart;
        int end = frameEnd;
        if (end - start < GZIP_HEADER + GZIP_TRAILER || buf[start] != 0x1f || (buf[start + 1] & 0xff) != 0x8b
                || buf[start + 3] != 0) {
            throw new IOException("not a plain gzip member");
        }
        inflater.reset();
        inflater.setInput(buf, start + GZIP_HEADER, end - GZIP_TRAILER - start - GZIP_HEADER);
        int n = 0;
        try {
            while (n < size) {
                int got = inflater.inflate(target, n, size - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput())) {
                    break;
                }
                n += got;
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        crc.reset();
        crc.update(target, 0, n);
        if (n != size || (int) crc.getValue() != readIntLe(buf, end - 8)) {
            throw new IOException("frame fails its gzip length or CRC check");
        }
    }

    private static void writeIntLe(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    private static int readIntLe(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }
}
