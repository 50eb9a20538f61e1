package io.github.camelhpx.client.internal;

import java.io.InputStream;

/** Hands out a byte array in reads of at most a fixed size, the way a slow network would. */
final class ChunkedInputStream extends InputStream {

    private final byte[] bytes;
    private final int chunk;
    private int position;
    int reads;

    ChunkedInputStream(byte[] bytes, int chunk) {
        this.bytes = bytes;
        this.chunk = chunk;
    }

    @Override
    public int read() {
        return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= bytes.length) {
            return -1;
        }
        reads++;
        int n = Math.min(Math.min(len, chunk), bytes.length - position);
        System.arraycopy(bytes, position, b, off, n);
        position += n;
        return n;
    }
}
