package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * A socket's input with one deadline for a whole message: a peer trickling bytes cannot stretch a request past
 * its timeout. Reads block; the {@link Watchdog} closes the socket when the deadline passes, and the read that
 * breaks off then is reported as the timeout it is.
 */
public final class DeadlineInputStream extends InputStream {

    /** A deadline that never comes: reads wait as long as the connection lives. */
    static final long NONE = Watchdog.NONE;

    private final Watchdog.Guard guard;
    private final InputStream in;
    private final byte[] one = new byte[1];

    DeadlineInputStream(Watchdog.Guard guard, InputStream in) {
        this.guard = guard;
        this.in = in;
    }

    /** Bounds the reads from now on by {@code deadlineNanos} (nano time), or by nothing with {@link #NONE}. */
    void deadline(long deadlineNanos) {
        if (deadlineNanos == NONE) {
            guard.disarm();
        } else {
            guard.arm(deadlineNanos);
        }
    }

    /**
     * Ends the wait armed with {@link #deadline}; returns whether it ended before the watchdog took it: otherwise the
     * socket is closed, or about to be.
     */
    boolean disarm() {
        return guard.disarm();
    }

    /** Whether the watchdog closed the socket because the deadline passed. */
    boolean expired() {
        return guard.expired();
    }

    /** Whether the deadline armed has passed: the watchdog has closed the socket, or is about to. */
    boolean passed() {
        long deadline = guard.deadline();
        return guard.expired() || deadline != NONE && deadline - System.nanoTime() <= 0;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (passed()) {
            throw new SocketTimeoutException("deadline passed");
        }
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw guard.expired() ? timedOut(e) : e;
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private static SocketTimeoutException timedOut(IOException cause) {
        SocketTimeoutException timeout = new SocketTimeoutException("deadline passed");
        timeout.initCause(cause);
        return timeout;
    }
}
