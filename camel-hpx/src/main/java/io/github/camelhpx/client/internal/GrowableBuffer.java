package io.github.camelhpx.client.internal;

import java.io.OutputStream;
import java.util.Arrays;

import io.github.camelhpx.client.HpxProtocolException;

/**
 * A reusable, unsynchronised byte sink whose array is reachable without a copy, so a frame can be built in
 * place and written to the socket in one call.
 */
public final class GrowableBuffer extends OutputStream {

    private static final int INITIAL_CAPACITY = 4 * 1024;
    // A buffer grown for one big message is given back afterwards.
    private static final int RETAINED_CAPACITY = 1024 * 1024;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int size;

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** Empties the buffer, shrinking it when a big message made it large. */
    void clear() {
        size = 0;
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
    }

    /** Makes room for at least {@code n} more bytes and returns the array to write into at {@link #size()}. */
    byte[] reserve(int n) {
        int needed = size + n;
        if (needed < 0) {
            throw new HpxProtocolException("HPX message larger than 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
        return bytes;
    }

    void advance(int n) {
        size += n;
    }

    @Override
    public void write(int b) {
        reserve(1)[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        System.arraycopy(b, off, reserve(len), size, len);
        size += len;
    }

    void writeIntLittleEndian(int v) {
        byte[] a = reserve(4);
        a[size] = (byte) v;
        a[size + 1] = (byte) (v >>> 8);
        a[size + 2] = (byte) (v >>> 16);
        a[size + 3] = (byte) (v >>> 24);
        size += 4;
    }
}
