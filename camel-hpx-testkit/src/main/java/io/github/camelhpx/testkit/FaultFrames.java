package io.github.camelhpx.testkit;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds the frames that replace a reply under a {@link Fault}. */
final class FaultFrames {

    private FaultFrames() {
    }

    /** Random bytes that cannot be mistaken for gzip or contain a marker, then {@code <EOF>}. */
    static void garbage(ByteSink out) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int n = 32 + rnd.nextInt(224);
        for (int i = 0; i < n; i++) {
            int b;
            do {
                b = rnd.nextInt(256);
            } while (b == '<' || (i == 0 && b == 0x1f));
            out.write(b);
        }
        out.write(GzipCodec.EOF_MARKER, 0, GzipCodec.EOF_MARKER.length);
    }

    /** A valid message whose gzip is at least {@code minCompressed} bytes and holds no {@code <EOF>}. */
    static void oversized(String session, String name, long minCompressed, ByteSink json, ByteSink out) {
        int textLen = (int) Math.min(Integer.MAX_VALUE - 1024, minCompressed * 4 / 3 + 1024);
        while (true) {
            byte[] random = new byte[textLen * 3 / 4 + 3];
            ThreadLocalRandom.current().nextBytes(random);
            String filler = Base64.getEncoder().encodeToString(random);
            json.reset();
            out.reset();
            PyJsonWriter w = new PyJsonWriter(json);
            w.raw("{\"session\": ");
            w.string(session);
            w.raw(", \"name\": ");
            w.string(name);
            w.raw(", \"data\": ");
            w.string(filler);
            w.raw("}");
            try (GzipCodec codec = new GzipCodec(0)) {
                codec.encodeFrame(json.array(), 0, json.size(), out);
            }
            int payload = out.size() - GzipCodec.EOF_MARKER.length;
            if (payload >= minCompressed && indexOfMarker(out.array(), payload) < 0) {
                return;
            }
            textLen += textLen / 8 + 64;
        }
    }

    /** gzip of a tiny JSON message followed by {@code spaces} spaces, streamed so nothing big is allocated. */
    static void gzipBomb(String session, String name, long spaces, ByteSink out) {
        ByteSink head = new ByteSink(256);
        PyJsonWriter w = new PyJsonWriter(head);
        w.raw("{\"session\": ");
        w.string(session);
        w.raw(", \"name\": ");
        w.string(name);
        w.raw(", \"data\": null}");
        CRC32 crc = new CRC32();
        Deflater deflater = new Deflater(9, true);
        try {
            GzipCodec.writeHeader(out);
            byte[] pad = new byte[1 << 16];
            java.util.Arrays.fill(pad, (byte) ' ');
            deflateChunk(deflater, crc, head.array(), head.size(), out);
            long left = spaces;
            while (left > 0) {
                int n = (int) Math.min(pad.length, left);
                deflateChunk(deflater, crc, pad, n, out);
                left -= n;
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.ensure(8192);
                int n = deflater.deflate(out.array(), out.size(), out.capacity() - out.size());
                out.size(out.size() + n);
            }
            GzipCodec.writeIntLe(out, (int) crc.getValue());
            GzipCodec.writeIntLe(out, (int) (head.size() + spaces));
            out.write(GzipCodec.EOF_MARKER, 0, GzipCodec.EOF_MARKER.length);
        } finally {
            deflater.end();
        }
    }

    private static void deflateChunk(Deflater deflater, CRC32 crc, byte[] data, int len, ByteSink out) {
        crc.update(data, 0, len);
        deflater.setInput(data, 0, len);
        while (!deflater.needsInput()) {
            out.ensure(8192);
            int n = deflater.deflate(out.array(), out.size(), out.capacity() - out.size());
            out.size(out.size() + n);
        }
    }

    static int indexOfMarker(byte[] b, int len) {
        for (int i = 0; i + 5 <= len; i++) {
            if (b[i] == '<' && b[i + 1] == 'E' && b[i + 2] == 'O' && b[i + 3] == 'F' && b[i + 4] == '>') {
                return i;
            }
        }
        return -1;
    }
}
