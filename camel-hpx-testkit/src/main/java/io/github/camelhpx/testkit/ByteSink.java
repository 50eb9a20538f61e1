package io.github.camelhpx.testkit;

import java.util.Arrays;

/** A growable byte buffer that a connection reuses for every frame, so small replies allocate nothing. */
final class ByteSink {

    private static final int SHRINK_ABOVE = 1 << 20;

    private byte[] buf;
    private int size;
    private final int initial;

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

    void ensure(int extra) {
        long needed = (long) size + extra;
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
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
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
