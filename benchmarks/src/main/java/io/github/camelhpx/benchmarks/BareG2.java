package io.github.camelhpx.benchmarks;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * <b>The G2 limit</b> (HPX 1.0, MessagePack): one plain JDK socket with {@code TCP_NODELAY}; each request is a
 * msgpack map written by a minimal hand-written encoder into one reused array (the {@code __id__} first, then
 * the fixed bytes of {@code command}, {@code session}, {@code name} and {@code data}, then {@code <EOF>}) and
 * sent in one write; replies are read into one reused buffer, split at {@code <EOF>} with each byte scanned once,
 * and decoded only as far as the {@code __id__} (the first key the server writes), which must be the request's.
 * <p>
 * Lock-step through {@link #call}; {@link #send} and {@link #receive} let a writer and a reader thread pipeline
 * requests on the one socket (see {@link BareG2Pipeline}). Not thread-safe beyond that split: one thread sends,
 * one receives.
 */
public final class BareG2 implements Closeable {

    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    private static final byte[] ID_KEY = "__id__".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EOF = "<EOF>".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String session;
    private byte[] request = new byte[256];
    private byte[] buf = new byte[64 * 1024];
    /** Received bytes not yet handed out: {@code [start, limit)}; {@code scanned}: where the search resumes. */
    private int start;
    private int limit;
    private int scanned;
    private int frameStart;
    private int frameLength;
    private long nextId;

    private BareG2(String host, int port, String session) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        readFrame();
        int first = buf[frameStart] & 0xff;
        if ((first & 0xf0) != 0x80 && first != 0xde && first != 0xdf) {
            throw new IOException("not a G2 welcome: first byte " + first);
        }
        if (session == null) {
            byte[] handshake = tail("handshake", "", "{}".getBytes(StandardCharsets.US_ASCII), true);
            write(++nextId, handshake);
            readFrame();
            JsonNode reply = MSGPACK.readTree(buf, frameStart, frameLength);
            if (!"Authenticated".equals(reply.path("data").asText())) {
                throw new IOException("handshake failed: " + reply);
            }
            session = reply.get("session").textValue();
        }
        this.session = session;
    }

    /** Connects, reads the welcome and logs in as a guest. */
    public static BareG2 connect(String host, int port) {
        try {
            return new BareG2(host, port, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, reads the welcome and joins an existing session (no handshake). */
    public static BareG2 join(String host, int port, String session) {
        try {
            return new BareG2(host, port, session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String session() {
        return session;
    }

    /**
     * Reads with a timeout from now on, as a client that must end a call at its deadline does: the JDK then keeps
     * the socket non-blocking, and a read that finds nothing costs a failed read and a {@code poll} more.
     */
    public BareG2 timed(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * The bytes of a {@code call} request after its {@code __id__}: {@code command}, {@code session}, {@code name},
     * then {@code data} (given as JSON, converted to msgpack once here) and {@code <EOF>}.
     */
    public byte[] call(String dataJson) {
        try {
            byte[] data = MSGPACK.writeValueAsBytes(new ObjectMapper().readTree(dataJson));
            return tail("call", session, data, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One lock-step round trip; returns the reply's length (the reply stays in the buffer, undecoded). */
    public int call(byte[] tail) {
        try {
            long id = ++nextId;
            write(id, tail);
            readFrame();
            if (replyId() != id) {
                throw new IOException("reply to " + replyId() + " while waiting for " + id);
            }
            return frameLength;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes request {@code id} (the writer side of a pipeline). */
    public void send(long id, byte[] tail) throws IOException {
        write(id, tail);
    }

    /** Reads the next reply and returns its {@code __id__} (the reader side of a pipeline). */
    public long receive() throws IOException {
        readFrame();
        return replyId();
    }

    /** The last reply, decoded whole (for checks, not for measuring). */
    public JsonNode lastReply() throws IOException {
        return MSGPACK.readTree(buf, frameStart, frameLength);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- encoding -----------------------------------------------------------------------------------------

    /** {@code fixmap(5)} (or 4 without {@code __id__}), then the id's key; the id and the tail follow. */
    private void write(long id, byte[] tail) throws IOException {
        byte[] r = request;
        if (r.length < tail.length + 16) {
            r = request = new byte[tail.length + 16];
        }
        int p = 0;
        r[p++] = (byte) 0x85;
        r[p++] = (byte) (0xa0 | ID_KEY.length);
        System.arraycopy(ID_KEY, 0, r, p, ID_KEY.length);
        p += ID_KEY.length;
        p = writeInt(r, p, id);
        System.arraycopy(tail, 0, r, p, tail.length);
        out.write(r, 0, p + tail.length);
    }

    /** A non-negative integer in its smallest msgpack form, as the JS client and the real client write it. */
    private static int writeInt(byte[] r, int p, long v) {
        if (v < 0x80) {
            r[p++] = (byte) v;
        } else if (v < 0x100) {
            r[p++] = (byte) 0xcc;
            r[p++] = (byte) v;
        } else if (v < 0x10000) {
            r[p++] = (byte) 0xcd;
            r[p++] = (byte) (v >>> 8);
            r[p++] = (byte) v;
        } else if (v < 0x100000000L) {
            r[p++] = (byte) 0xce;
            r[p++] = (byte) (v >>> 24);
            r[p++] = (byte) (v >>> 16);
            r[p++] = (byte) (v >>> 8);
            r[p++] = (byte) v;
        } else {
            r[p++] = (byte) 0xcf;
            for (int s = 56; s >= 0; s -= 8) {
                r[p++] = (byte) (v >>> s);
            }
        }
        return p;
    }

    private static byte[] tail(String command, String session, byte[] data, boolean jsonData) throws IOException {
        byte[] msgpackData = jsonData ? MSGPACK.writeValueAsBytes(new ObjectMapper().readTree(data)) : data;
        byte[] t = new byte[64 + 3 * (command.length() + session.length()) + msgpackData.length + 32];
        int p = 0;
        p = str(t, p, "command");
        p = str(t, p, command);
        p = str(t, p, "session");
        p = str(t, p, session);
        p = str(t, p, "name");
        p = str(t, p, "bare");
        p = str(t, p, "data");
        System.arraycopy(msgpackData, 0, t, p, msgpackData.length);
        p += msgpackData.length;
        System.arraycopy(EOF, 0, t, p, EOF.length);
        return Arrays.copyOf(t, p + EOF.length);
    }

    private static int str(byte[] t, int p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 32) {
            t[p++] = (byte) (0xa0 | b.length);
        } else {
            t[p++] = (byte) 0xd9;
            t[p++] = (byte) b.length;
        }
        System.arraycopy(b, 0, t, p, b.length);
        return p + b.length;
    }

    // ---- decoding -----------------------------------------------------------------------------------------

    /** Reads until a whole frame is buffered: {@code [frameStart, frameStart + frameLength)}, {@code <EOF>} dropped. */
    private void readFrame() throws IOException {
        while (true) {
            int end = scan();
            if (end >= 0) {
                frameStart = start;
                frameLength = end - start;
                start = end + EOF.length;
                scanned = start;
                return;
            }
            if (start == limit) {
                start = limit = scanned = 0;
            } else if (limit == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    limit -= start;
                    scanned -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                throw new EOFException("server closed the connection");
            }
            limit += n;
        }
    }

    /** The index of the next {@code <EOF>} in the buffered bytes, or -1; each byte is looked at once. */
    private int scan() {
        byte[] b = buf;
        int i = scanned;
        int last = limit - EOF.length;
        while (i <= last) {
            if (b[i] == '<' && b[i + 1] == 'E' && b[i + 2] == 'O' && b[i + 3] == 'F' && b[i + 4] == '>') {
                return i;
            }
            i++;
        }
        scanned = Math.max(start, i);
        return -1;
    }

    /** The reply's {@code __id__}: a map whose first key is {@code __id__} and whose value is an integer. */
    private long replyId() throws IOException {
        byte[] b = buf;
        int p = frameStart;
        int head = b[p++] & 0xff;
        if ((head & 0xf0) == 0x80) {
            // fixmap
        } else if (head == 0xde) {
            p += 2;
        } else if (head == 0xdf) {
            p += 4;
        } else {
            throw new IOException("reply is no map");
        }
        if ((b[p++] & 0xff) != (0xa0 | ID_KEY.length)) {
            throw new IOException("reply does not start with __id__");
        }
        for (byte k : ID_KEY) {
            if (b[p++] != k) {
                throw new IOException("reply does not start with __id__");
            }
        }
        int t = b[p++] & 0xff;
        if (t < 0x80) {
            return t;
        }
        int n = switch (t) {
            case 0xcc -> 1;
            case 0xcd -> 2;
            case 0xce -> 4;
            case 0xcf, 0xd3 -> 8;
            default -> throw new IOException("__id__ is no integer: type " + t);
        };
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[p++] & 0xff);
        }
        return v;
    }
}
