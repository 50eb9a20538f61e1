package io.github.camelhpx.testkit;

import javax.net.SocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The socket side of the raw test clients, the same for both generations: {@code <EOF>} framing, a buffer of
 * bytes read ahead, and the checks on silence and on the server closing. What a frame's payload means (gzip-JSON
 * or MessagePack) is left to {@link RawClient} and {@link G2RawClient}. Like them it shares no code with the
 * server it checks.
 */
abstract class RawWireClient implements AutoCloseable {

    static final byte[] EOF = "<EOF>".getBytes(StandardCharsets.US_ASCII);
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Bytes received but not yet returned as (part of) a frame. */
    private byte[] pending = new byte[0];
    private String session = "";

    /** Connects; a failure fails the test as an {@link UncheckedIOException}. */
    protected RawWireClient(String host, int port, SocketFactory factory) {
        try {
            this.socket = factory.createSocket(host, port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String session() {
        return session;
    }

    void session(String id) {
        this.session = id;
    }

    /** payload + {@code <EOF>}, as one array so that it goes out in one write. */
    static byte[] withMarker(byte[] payload) {
        byte[] frame = Arrays.copyOf(payload, payload.length + EOF.length);
        System.arraycopy(EOF, 0, frame, payload.length, EOF.length);
        return frame;
    }

    void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes up to the first {@code <EOF>}, undecoded; the marker is consumed. */
    byte[] readUntilMarker() {
        try {
            while (true) {
                int at = indexOf(pending, EOF);
                if (at >= 0) {
                    return take(at);
                }
                readMore();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What has been read ahead and not yet taken; the caller must not change it. */
    protected byte[] buffered() {
        return pending;
    }

    /** Takes the first {@code length} buffered bytes as a frame body and drops the {@code <EOF>} after them. */
    protected byte[] take(int length) {
        byte[] body = Arrays.copyOf(pending, length);
        pending = Arrays.copyOfRange(pending, length + EOF.length, pending.length);
        return body;
    }

    /** Appends what the next read returns to the buffer. */
    protected void readMore() throws IOException {
        byte[] buf = new byte[65536];
        int n = in.read(buf);
        if (n < 0) {
            throw new EOFException("server closed the connection");
        }
        byte[] grown = Arrays.copyOf(pending, pending.length + n);
        System.arraycopy(buf, 0, grown, pending.length, n);
        pending = grown;
    }

    /** The first byte of the next frame, without consuming anything. */
    int peekFirstByte() {
        try {
            while (pending.length == 0) {
                readMore();
            }
            return pending[0] & 0xff;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes received until the server closes the connection (without an EOF marker check). */
    byte[] readUntilClosed() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            bos.write(pending);
            pending = new byte[0];
            in.transferTo(bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if nothing arrives within the window (used where the protocol says the server stays silent). */
    boolean silentFor(int millis) {
        try {
            if (pending.length > 0) {
                return false;
            }
            socket.setSoTimeout(millis);
            int b = in.read();
            if (b < 0) {
                return false;
            }
            // keep the byte for the next frame read
            pending = new byte[] {(byte) b};
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    /** Whether the server has closed this connection (after any frames still in flight, which are dropped). */
    boolean closedByServer() {
        return end() != End.OPEN;
    }

    /** Whether the server reset this connection (a TCP reset, not an orderly close). */
    boolean resetByServer() {
        return end() == End.RESET;
    }

    private enum End { CLOSED, RESET, OPEN }

    /** How the connection ends within 5 s, reading past what is still in flight. */
    private End end() {
        try {
            socket.setSoTimeout(5_000);
            while (true) {
                int n = in.read(new byte[4096]);
                if (n < 0) {
                    return End.CLOSED;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset") ? End.RESET : End.OPEN;
        }
    }

    /** Where {@code needle} first stands in {@code hay}, or -1. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
