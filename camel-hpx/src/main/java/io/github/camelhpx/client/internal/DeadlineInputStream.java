package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input with one deadline for a whole message: each read may wait only for the time that is left,
 * so a peer trickling bytes cannot stretch a request past its timeout.
 */
public final class DeadlineInputStream extends InputStream {

    /** A deadline that never comes: reads wait as long as the connection lives. */
    static final long NONE = Long.MAX_VALUE;

    private final Socket socket;
    private final InputStream in;
    private final byte[] one = new byte[1];
    private long deadlineNanos;

    DeadlineInputStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    void deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (deadlineNanos == NONE) {
            socket.setSoTimeout(0);
            return in.read(b, off, len);
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining))));
        return in.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
