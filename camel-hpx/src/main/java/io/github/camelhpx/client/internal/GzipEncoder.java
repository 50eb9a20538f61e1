package io.github.camelhpx.client.internal;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a payload into one gzip member (RFC 1952) with a reused {@link Deflater}: {@code GZIPOutputStream}
 * would create, and leave to the finaliser, a native deflater per message.
 */
public final class GzipEncoder implements AutoCloseable {

    private static final int DEFLATE_CHUNK = 8 * 1024;
    private static final byte[] NO_INPUT = new byte[0];

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte extraFlags;

    GzipEncoder(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9, was " + level);
        }
        this.deflater = new Deflater(level, true);
        this.extraFlags = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
    }

    /** Appends gzip({@code src[0..length)}) to {@code out}. */
    void encode(byte[] src, int length, GrowableBuffer out) {
        out.write(0x1f);
        out.write(0x8b);
        out.write(Deflater.DEFLATED);
        out.write(0); // flags: no name, comment or extra field
        out.writeIntLittleEndian(0); // no modification time
        out.write(extraFlags);
        out.write(255); // operating system: unknown

        deflater.reset();
        deflater.setInput(src, 0, length);
        deflater.finish();
        while (!deflater.finished()) {
            byte[] target = out.reserve(DEFLATE_CHUNK);
            out.advance(deflater.deflate(target, out.size(), DEFLATE_CHUNK));
        }
        // A Deflater keeps its input array until it gets another, and a big message's buffer is given back.
        deflater.setInput(NO_INPUT);
        crc.reset();
        crc.update(src, 0, length);
        out.writeIntLittleEndian((int) crc.getValue());
        out.writeIntLittleEndian(length);
    }

    @Override
    public void close() {
        deflater.end();
    }
}
