package io.github.camelhpx.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * <b>The limit</b>: the least a Java program must do to make an HPX call, against which every other figure is
 * a ratio. One plain JDK socket with {@code TCP_NODELAY}, strict lock-step, and the {@link BareFrames} codec
 * (reused Deflater/Inflater, one write per frame, each reply byte scanned once, CRC and length checked).
 * <p>
 * What it leaves out, and a real client cannot: a tree for the request (the request JSON is fixed bytes,
 * built once), a pool, timeouts, session renewal, broadcasts, error replies, and (for {@link #call}) parsing
 * the reply: the reply's JSON is inflated into a reused buffer and not looked at.
 */
public final class BareSocketHpx implements Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final BareFrames frames = new BareFrames();
    private final String session;
    private final byte[] welcomeFrame;
    private byte[] authFrame;

    private BareSocketHpx(String host, int port, String session) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        frames.read(in);
        welcomeFrame = frames.lastFrame();
        if (session == null) {
            frames.write("{\"session\": \"\", \"name\": \"bare\", \"data\": {}}".getBytes(StandardCharsets.UTF_8), out);
            frames.read(in);
            authFrame = frames.lastFrame();
            int n = frames.inflateReused();
            JsonNode reply = MAPPER.readTree(frames.plain(), 0, n);
            if (!"Authenticated".equals(reply.path("data").asText())) {
                throw new IOException("handshake failed: " + reply);
            }
            session = reply.get("session").textValue();
        }
        this.session = session;
    }

    /** Connects, reads the welcome and logs in as a guest. */
    public static BareSocketHpx connect(String host, int port) {
        try {
            return new BareSocketHpx(host, port, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, reads the welcome and joins an existing session (no handshake), as a pool's other sockets do. */
    public static BareSocketHpx join(String host, int port, String session) {
        try {
            return new BareSocketHpx(host, port, session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String session() {
        return session;
    }

    /** The request JSON of a message in this session whose {@code data} is the given JSON text. */
    public byte[] message(String dataJson) {
        return ("{\"session\": \"" + session + "\", \"name\": \"bare\", \"data\": " + dataJson + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One round trip; the reply's JSON is left in a reused buffer and its length returned. */
    public int call(byte[] requestJson) {
        try {
            frames.write(requestJson, out);
            frames.read(in);
            return frames.inflateReused();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One round trip whose reply JSON is handed out as a new array of exactly its size. */
    public byte[] callForBytes(byte[] requestJson) {
        try {
            frames.write(requestJson, out);
            frames.read(in);
            return frames.inflateToArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One round trip whose reply is returned as the frame that came off the wire (for replaying it). */
    public byte[] callForFrame(byte[] requestJson) {
        try {
            frames.write(requestJson, out);
            frames.read(in);
            return frames.lastFrame();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's welcome frame on this connection, as it came off the wire. */
    public byte[] welcomeFrame() {
        return welcomeFrame.clone();
    }

    /** The handshake reply frame ("Authenticated"), or null for a socket that joined a session. */
    public byte[] authFrame() {
        return authFrame == null ? null : authFrame.clone();
    }

    /** The reply's JSON of the last {@link #call}, as text (for checks, not for measuring). */
    public String lastReply(int length) {
        return new String(frames.plain(), 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        frames.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
