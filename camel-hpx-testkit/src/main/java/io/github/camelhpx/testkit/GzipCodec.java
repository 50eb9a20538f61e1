package io.github.camelhpx.testkit;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * gzip in both directions with one Deflater/Inflater per connection. Decoding follows Python 3.6's
 * {@code gzip.decompress} step by step (multi-member, zero padding, header flags) so each failure maps to
 * the error the real server sent: {@link HpxApiError} 410 for OSError/zlib.error, {@link PyCrash} for EOFError.
 */
final class GzipCodec implements AutoCloseable {

    static final byte[] EOF_MARKER = {'<', 'E', 'O', 'F', '>'};

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Deflater deflater = new Deflater(5, true);
    private final Inflater inflater = new Inflater(true);
    // One per direction: a broadcast is encoded on the broadcasting thread while the connection's thread decodes.
    private final CRC32 encodeCrc = new CRC32();
    private final CRC32 decodeCrc = new CRC32();
    private final long maxDecompressed;

    GzipCodec(long maxDecompressed) {
        this.maxDecompressed = maxDecompressed;
    }

    /** Appends gzip(payload) followed by the {@code <EOF>} marker to {@code out}: one frame, ready for one write. */
    void encodeFrame(byte[] payload, int off, int len, ByteSink out) {
        beginFrame(out);
        deflate(payload, off, len, out);
        endFrame(out);
    }

    /** Starts a frame whose payload then comes in pieces through {@link #deflate} and ends with {@link #endFrame}. */
    void beginFrame(ByteSink out) {
        writeHeader(out);
        deflater.reset();
        encodeCrc.reset();
    }

    void deflate(byte[] payload, int off, int len, ByteSink out) {
        encodeCrc.update(payload, off, len);
        deflater.setInput(payload, off, len);
        while (!deflater.needsInput()) {
            deflateInto(out, len);
        }
    }

    void endFrame(ByteSink out) {
        deflater.finish();
        while (!deflater.finished()) {
            deflateInto(out, 0);
        }
        writeIntLe(out, (int) encodeCrc.getValue());
        writeIntLe(out, (int) deflater.getBytesRead());
        out.write(EOF_MARKER, 0, EOF_MARKER.length);
    }

    private void deflateInto(ByteSink out, int inputLength) {
        out.ensure(Math.max(8192, inputLength / 4));
        int n = deflater.deflate(out.array(), out.size(), out.capacity() - out.size());
        out.size(out.size() + n);
    }

    /** What {@link #writeHeader} writes: no optional fields. */
    static final int HEADER_LENGTH = 10;

    static void writeHeader(ByteSink out) {
        int mtime = (int) (System.currentTimeMillis() / 1000);
        // magic, deflate, no flags, mtime, XFL 02 and OS 255 as Python 3.6's gzip module wrote them
        out.write(0x1f);
        out.write(0x8b);
        out.write(8);
        out.write(0);
        writeIntLe(out, mtime);
        out.write(2);
        out.write(0xff);
    }

    static void writeIntLe(ByteSink out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }

    /** Decompresses a frame payload into {@code out} (cleared first). */
    void decode(byte[] buf, int off, int len, ByteSink out) {
        out.reset();
        int pos = off;
        int end = off + len;
        while (true) {
            if (pos == end) {
                return;
            }
            if (end - pos < 2 || (buf[pos] & 0xff) != 0x1f || (buf[pos + 1] & 0xff) != 0x8b) {
                throw new HpxApiError(410, "Not a gzipped file (" + PyFormat.bytesRepr(buf, pos, Math.min(2, end - pos)) + ")");
            }
            pos += 2;
            requireBytes(pos, end, 8);
            int method = buf[pos] & 0xff;
            int flag = buf[pos + 1] & 0xff;
            pos += 8;
            if (method != 8) {
                throw new HpxApiError(410, "Unknown compression method");
            }
            if ((flag & FEXTRA) != 0) {
                requireBytes(pos, end, 2);
                int xlen = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
                pos += 2;
                requireBytes(pos, end, xlen);
                pos += xlen;
            }
            if ((flag & FNAME) != 0) {
                pos = skipZeroTerminated(buf, pos, end);
            }
            if ((flag & FCOMMENT) != 0) {
                pos = skipZeroTerminated(buf, pos, end);
            }
            if ((flag & FHCRC) != 0) {
                requireBytes(pos, end, 2);
                pos += 2;
            }
            int memberStart = out.size();
            pos = inflateMember(buf, pos, end, out);
            requireBytes(pos, end, 8);
            long storedCrc = readIntLe(buf, pos) & 0xffffffffL;
            long storedSize = readIntLe(buf, pos + 4) & 0xffffffffL;
            pos += 8;
            decodeCrc.reset();
            decodeCrc.update(out.array(), memberStart, out.size() - memberStart);
            if (storedCrc != decodeCrc.getValue()) {
                throw new HpxApiError(410, "CRC check failed " + PyFormat.hex32(storedCrc) + " != "
                        + PyFormat.hex32(decodeCrc.getValue()));
            }
            if (storedSize != ((out.size() - memberStart) & 0xffffffffL)) {
                throw new HpxApiError(410, "Incorrect length of data produced");
            }
            while (pos < end && buf[pos] == 0) {
                pos++;
            }
        }
    }

    private int inflateMember(byte[] buf, int pos, int end, ByteSink out) {
        inflater.reset();
        inflater.setInput(buf, pos, end - pos);
        try {
            while (!inflater.finished()) {
                out.ensure(Math.max(8192, Math.min(end - pos, 1 << 20) * 4));
                int n = inflater.inflate(out.array(), out.size(), out.capacity() - out.size());
                out.size(out.size() + n);
                if (out.size() > maxDecompressed) {
                    throw new PyCrash("MemoryError");
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new PyCrash("EOFError");
                }
            }
        } catch (DataFormatException e) {
            throw new HpxApiError(410, "Error -3 while decompressing data: " + e.getMessage());
        }
        return end - inflater.getRemaining();
    }

    private static void requireBytes(int pos, int end, int n) {
        if (end - pos < n) {
            throw new PyCrash("EOFError");
        }
    }

    private static int skipZeroTerminated(byte[] buf, int pos, int end) {
        while (pos < end) {
            if (buf[pos++] == 0) {
                break;
            }
        }
        return pos;
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
