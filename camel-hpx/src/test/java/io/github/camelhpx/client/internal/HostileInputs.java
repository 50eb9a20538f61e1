package io.github.camelhpx.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JavaType;

import io.github.camelhpx.client.HpxException;

/**
 * Run in a JVM of its own with a small heap ({@link HostileInputsTest}): each hostile input, generated as it is
 * read (never held whole), goes through a connection's reading path (frame decoder, then the tree, raw and bound
 * readings) with a {@value #LIMIT_MIB} MiB {@code maxMessageSize}. Prints one {@code HOSTILE} line per input with
 * its outcome (the exception's class, {@code UNTYPED:<class>} for anything but an HpxException, or {@code
 * DECODED}) and exits 0 when every outcome is typed.
 */
public final class HostileInputs {

    static final int LIMIT_MIB = 4;
    static final long LIMIT = LIMIT_MIB * 1024L * 1024;
    private static final byte[] EOF = FrameBuffer.DELIMITER;
    private static final JavaType OBJECT = FuzzChecks.JSON.constructType(Object.class);

    private HostileInputs() {
    }

    public static void main(String[] args) {
        Map<String, Supplier<Case>> cases = new LinkedHashMap<>();
        // gzip bombs: 128 MiB (32 times the limit) inflated from ~130 KiB
        cases.put("g1-gzip-bomb-zeros", () -> g1(gzip(new byte[0], new byte[] {0}, 128L << 20, new byte[0])));
        cases.put("g1-gzip-bomb-json-string", () -> g1(gzip(ascii("{\"session\": \"\", \"name\": \"n\", \"data\": \""),
                ascii("a"), 128L << 20, ascii("\"}"))));
        // a declared size that lies
        cases.put("g1-gzip-isize-lies", () -> g1(lyingTrailer(gzip(ascii("{\"session\": \"\", \"name\": \"n\", \"data\": 1}"),
                new byte[0], 0, new byte[0]))));
        cases.put("g2-str32-lies-then-end", () -> g2(gen(seg(hex("83a773657373696f6edbfffffff0"), 1), seg(ascii("abc"), 1),
                seg(EOF, 1))));
        cases.put("g2-str32-lies-then-stream", () -> g2(gen(seg(hex("dbffffffff"), 1), seg(ascii("aaaaaaa<EOF>"), 20_000_000))));
        cases.put("g2-map32-lies", () -> g2(gen(seg(hex("dfffffffffa16101"), 1), seg(EOF, 1))));
        cases.put("g2-array32-lies", () -> g2(gen(seg(hex("83a773657373696f6ea0a46e616d65a16ea464617461ddffffffff"), 1),
                seg(new byte[] {0}, 1000), seg(EOF, 1))));
        cases.put("g2-bin32-lies", () -> g2(gen(seg(hex("c6ffffffff"), 1), seg(EOF, 1))));
        // nesting 100,000 deep
        cases.put("g1-nesting-100k", () -> g1(gzip(ascii("{\"session\": \"\", \"name\": \"n\", \"data\": "),
                ascii("["), 100_000, repeat(ascii("]"), 100_000, ascii("}")))));
        cases.put("g2-nesting-100k", () -> g2(gen(seg(hex("83a773657373696f6ea0a46e616d65a16ea464617461"), 1),
                seg(hex("91"), 100_000), seg(hex("c0"), 1), seg(EOF, 1))));
        // wide: millions of tiny members, under the size limit
        cases.put("g1-wide-array-2M", () -> g1(gzip(ascii("{\"session\": \"\", \"name\": \"n\", \"data\": [0"),
                ascii(",0"), 2_000_000 - 1, ascii("]}"))));
        cases.put("g1-wide-object-500k", () -> g1(gzip(ascii("{\"session\": \"\", \"name\": \"n\", \"data\": {\"\": 0"),
                ascii(",\"\":0"), 500_000, ascii("}}"))));
        cases.put("g2-wide-array-3M", () -> g2(gen(seg(hex("83a773657373696f6ea0a46e616d65a16ea464617461dd002dc6c0"), 1),
                seg(new byte[] {0}, 3_000_000), seg(EOF, 1))));
        cases.put("g2-wide-map-1.5M", () -> g2(gen(seg(hex("83a773657373696f6ea0a46e616d65a16ea464617461df0016e360"), 1),
                seg(hex("a000"), 1_500_000), seg(EOF, 1))));
        // no <EOF>, ever
        cases.put("g1-no-eof-1GiB", () -> g1(gen(seg(hex("1f8b0800"), 1), seg(ascii("xyz<EO"), 180_000_000))));
        cases.put("g2-no-eof-1GiB", () -> g2(gen(seg(hex("dbffffffff"), 1), seg(ascii("xyz<EO"), 180_000_000))));

        boolean allTyped = true;
        for (Map.Entry<String, Supplier<Case>> entry : cases.entrySet()) {
            long t0 = System.nanoTime();
            System.out.println("HOSTILE start " + entry.getKey());
            String outcome;
            try {
                outcome = entry.getValue().get().run();
            } catch (Throwable e) {
                outcome = "UNTYPED:" + e;
            }
            allTyped &= !outcome.startsWith("UNTYPED");
            System.gc();
            System.out.printf("HOSTILE case=%s outcome=%s ms=%d%n", entry.getKey(), outcome,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        System.out.printf("HOSTILE heapMax=%dMiB peakHeapUsed=%dMiB limit=%dMiB%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap() >> 20, LIMIT_MIB);
        System.exit(allTyped ? 0 : 1);
    }

    /** One input for one generation's codec. */
    record Case(WireCodec codec, Supplier<InputStream> input) {

        /** Reads up to 4 frames, each decoded every way; the first exception ends it. */
        String run() {
            List<String> outcomes = new ArrayList<>();
            try (WireCodec c = codec; InputStream in = input.get()) {
                for (int i = 0; i < 4; i++) {
                    FrameBuffer.Frame frame = c.readFrame(in);
                    ReplyReading.TREE.read(c, frame);
                    ReplyReading.RAW.read(c, frame);
                    ReplyReading.bound(OBJECT).read(c, frame);
                    c.releaseFrame();
                    outcomes.add("DECODED");
                }
                return "DECODED";
            } catch (HpxException e) {
                return e.getClass().getSimpleName() + "(" + e.getMessage() + ")";
            } catch (Throwable e) {
                return "UNTYPED:" + e;
            }
        }
    }

    static Case g1(Supplier<InputStream> in) {
        return new Case(new MessageCodec(DecodingLimits.bounded(FuzzChecks.JSON, LIMIT), 5, LIMIT), in);
    }

    static Case g1(byte[] wire) {
        return g1(() -> new java.io.ByteArrayInputStream(wire));
    }

    static Case g2(Supplier<InputStream> in) {
        return new Case(new MsgpackCodec(MsgpackCodec.mapperFor(FuzzChecks.JSON, LIMIT), LIMIT), in);
    }

    /** A frame whose gzip member is {@code prefix + unit * count + suffix}, compressed as it is generated. */
    static byte[] gzip(byte[] prefix, byte[] unit, long count, byte[] suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(9);
            }
        }) {
            gz.write(prefix);
            long left = unit.length == 0 ? 0 : count;
            long perBlock = unit.length == 0 ? 1 : Math.max(1, 64 * 1024 / unit.length);
            byte[] block = repeat(unit, perBlock, new byte[0]);
            while (left >= perBlock) {
                gz.write(block);
                left -= perBlock;
            }
            for (long i = 0; i < left; i++) {
                gz.write(unit);
            }
            gz.write(suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(EOF);
        return out.toByteArray();
    }

    /** The frame with its gzip trailer's ISIZE set to 4 GiB - 1. */
    static byte[] lyingTrailer(byte[] frame) {
        int end = frame.length - EOF.length;
        for (int i = end - 4; i < end; i++) {
            frame[i] = (byte) 0xff;
        }
        return frame;
    }

    static byte[] repeat(byte[] unit, long count, byte[] suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < count; i++) {
            out.writeBytes(unit);
        }
        out.writeBytes(suffix);
        return out.toByteArray();
    }

    record Segment(byte[] unit, long count) {
    }

    static Segment seg(byte[] unit, long count) {
        return new Segment(unit, count);
    }

    /** Segments of repeated units, generated as they are read. */
    static Supplier<InputStream> gen(Segment... segments) {
        return () -> new InputStream() {
            private int segment;
            private long done;
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len && segment < segments.length) {
                    Segment s = segments[segment];
                    if (done >= s.count()) {
                        segment++;
                        done = 0;
                        pos = 0;
                        continue;
                    }
                    b[off + n++] = s.unit()[pos++];
                    if (pos == s.unit().length) {
                        pos = 0;
                        done++;
                    }
                }
                return n == 0 && len > 0 ? -1 : n;
            }
        };
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
