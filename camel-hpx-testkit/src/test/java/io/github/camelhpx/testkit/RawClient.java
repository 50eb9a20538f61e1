package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.SocketFactory;
import java.io.ByteArrayInputStream;
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
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A deliberately minimal HPX wire client for the tests, built on plain java.util.zip so that it shares no
 * code with the server it checks.
 */
final class RawClient implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] EOF = "<EOF>".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] pending = new byte[0];
    private String session = "";

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient connect(HpxTestServer server) {
        return connect(server, SocketFactory.getDefault());
    }

    static RawClient connect(HpxTestServer server, SocketFactory factory) {
        return connect(server.host(), server.port(), factory);
    }

    static RawClient connect(String host, int port, SocketFactory factory) {
        try {
            return new RawClient(factory.createSocket(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and consumes the welcome. */
    static RawClient welcomed(HpxTestServer server) {
        RawClient c = connect(server);
        c.read();
        return c;
    }

    /** Connects, consumes the welcome and handshakes as a guest. */
    static RawClient guest(HpxTestServer server) {
        RawClient c = welcomed(server);
        c.handshake(MAPPER.createObjectNode());
        return c;
    }

    /** Handshakes and remembers the session; fails the test unless it is accepted. */
    JsonNode handshake(Object credentials) {
        JsonNode reply = send("", credentials);
        if (!"Authenticated".equals(reply.path("data").asText())) {
            throw new AssertionError("handshake refused: " + reply);
        }
        session = reply.get("session").asText();
        return reply;
    }

    String session() {
        return session;
    }

    void session(String id) {
        this.session = id;
    }

    /** Sends {"session": session, "name": "test", "data": data} and reads the reply. */
    JsonNode send(String sessionId, Object data) {
        ObjectNode msg = MAPPER.createObjectNode();
        msg.put("session", sessionId);
        msg.put("name", "test-client");
        msg.set("data", MAPPER.valueToTree(data));
        writeJson(msg.toString());
        return read();
    }

    /** Calls functions in the current session; {@code calls} is a JSON array text. */
    JsonNode call(String callsJson) {
        return send(session, parse(callsJson));
    }

    JsonNode callOne(String callJson) {
        return call("[" + callJson + "]");
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeJson(String json) {
        writeFrame(gzip(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** payload + {@code <EOF>} in one write. */
    void writeFrame(byte[] payload) {
        byte[] frame = Arrays.copyOf(payload, payload.length + EOF.length);
        System.arraycopy(EOF, 0, frame, payload.length, EOF.length);
        writeRaw(frame);
    }

    void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return gz.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message as JSON. */
    JsonNode read() {
        return parse(readText());
    }

    /** The next message's JSON text exactly as the server wrote it. */
    String readText() {
        return new String(gunzip(readFramePayload()), StandardCharsets.UTF_8);
    }

    /** The next frame's bytes before {@code <EOF>}, undecoded. */
    byte[] readFramePayload() {
        try {
            while (true) {
                int at = indexOf(pending, EOF);
                if (at >= 0) {
                    byte[] frame = Arrays.copyOf(pending, at);
                    pending = Arrays.copyOfRange(pending, at + EOF.length, pending.length);
                    return frame;
                }
                byte[] buf = new byte[65536];
                int n = in.read(buf);
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("server closed the connection"));
                }
                byte[] grown = Arrays.copyOf(pending, pending.length + n);
                System.arraycopy(buf, 0, grown, pending.length, n);
                pending = grown;
            }
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
            pending = new byte[] {(byte) b};
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(10_000);
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    /** Whether the server has closed this connection (read returns end of stream). */
    boolean closedByServer() {
        try {
            socket.setSoTimeout(5_000);
            while (true) {
                int n = in.read(new byte[4096]);
                if (n < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
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
