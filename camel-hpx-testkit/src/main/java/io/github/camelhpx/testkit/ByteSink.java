package io.github.camelhpx.testkit;

import java.util.Arrays;

/** A growable byte buffer that a connection reuses for every frame, so small replies allocate nothing. */
final class ByteSink {

    /** Takes over a full buffer's content and gives back the (empty) array to go on writing into. */
    interface Drain {
        byte[] drain(byte[] content, int length);
    }

    private static final int SHRINK_ABOVE = 1 << 20;

    private byte[] buf;
    private int size;
    private final int initial;
    private Drain drain;
    private int drainAbove;

    ByteSink(int initialCapacity) {
        this.initial = initialCapacity;
        this.buf = new byte[initialCapacity];
    }

    void reset() {
        // a 50 MB reply must not pin 50 MB per connection for the rest of its life
        if (buf.length > SHRINK_ABOVE) {
            buf = new byte[initial];
        }
        size = 0;
    }

    /**
     * Once the buffer holds {@code capacity} bytes, hands its content to {@code drain} whenever it is full instead
     * of growing further; {@code null} makes it grow again.
     */
    void drainAbove(int capacity, Drain drain) {
        this.drainAbove = capacity;
        this.drain = drain;
    }

    void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > buf.length && drain != null && buf.length >= drainAbove && size > 0) {
            buf = drain.drain(buf, size);
            size = 0;
            needed = extra;
        }
        if (needed > buf.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("frame larger than 2 GiB");
            }
            int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, (long) buf.length * 2));
            buf = Arrays.copyOf(buf, cap);
        }
    }

    void write(int b) {
        if (size == buf.length) {
            ensure(1);
        }
        buf[size++] = (byte) b;
    }

    void write(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    void writeAscii(String s) {
        writeAscii(s, 0, s.length());
    }

    /** Characters {@code from} (inclusive) to {@code to} (exclusive) of {@code s}, which must all be ASCII. */
    void writeAscii(String s, int from, int to) {
        ensure(to - from);
        byte[] b = buf;
        int p = size;
        for (int i = from; i < to; i++) {
            b[p++] = (byte) s.charAt(i);
        }
        size = p;
    }

    /** The decimal digits of {@code v}, as Long.toString writes them but without a String per number. */
    void writeDecimal(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                writeAscii(Long.toString(v));
                return;
            }
            write('-');
            v = -v;
        }
        int digits = 1;
        for (long bound = 10; digits < 19 && v >= bound; bound *= 10) {
            digits++;
        }
        ensure(digits);
        int end = size + digits;
        for (int p = end - 1; p >= size; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size = end;
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    void size(int newSize) {
        this.size = newSize;
    }

    int capacity() {
        return buf.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
