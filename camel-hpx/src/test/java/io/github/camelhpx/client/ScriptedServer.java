package io.github.camelhpx.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A hand-driven HPX server over a real {@link ServerSocket}, for replies the embedded server never sends: extra
 * results, stray bytes after a reply, a reset when a request arrives, no welcome at all. It speaks the generation
 * of the suite's pass ({@code hpx.testkit.protocol}): G1 {@code gzip(json) + <EOF>} or G2 MessagePack + {@code <EOF>}.
 * Handshakes are answered {@code "Authenticated"}; every other request goes to the {@link Script}.
 */
final class ScriptedServer implements AutoCloseable {

    static final String SESSION = "scripted-session";
    private static final byte[] EOF = "<EOF>".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    /** What to do with a call: {@code connection} and {@code call} count from 1, calls per connection. */
    @FunctionalInterface
    interface Script {
        Action answer(int connection, int call, JsonNode request);
    }

    /**
     * An answer: a reply's {@code data} (then maybe stray bytes, or the connection closed), a reset, or nothing at
     * all.
     */
    record Action(JsonNode data, byte[] strayAfter, boolean resets, boolean closes) {

        static Action reply(Object data) {
            return new Action(JSON.valueToTree(data), null, false, false);
        }

        static Action reset() {
            return new Action(null, null, true, false);
        }

        static Action silence() {
            return new Action(null, null, false, false);
        }

        Action thenStray(byte[] bytes) {
            return new Action(data, bytes, resets, closes);
        }

        /** The server closes the connection (FIN) right after the reply, as one that drops each connection does. */
        Action thenClose() {
            return new Action(data, strayAfter, resets, true);
        }
    }

    private final boolean g2;
    private final Script script;
    private final Set<Integer> silentConnections;
    private final boolean strayAfterWelcome;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final Thread acceptor;

    private ScriptedServer(Script script, Set<Integer> silentConnections, boolean strayAfterWelcome) {
        this.g2 = "g2".equalsIgnoreCase(System.getProperty(HpxTestServerExtension.PROTOCOL_PROPERTY, "g1"));
        this.script = script;
        this.silentConnections = silentConnections;
        this.strayAfterWelcome = strayAfterWelcome;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::acceptLoop, "scripted-hpx-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedServer start(Script script) {
        return new ScriptedServer(script, Set.of(), false);
    }

    /** Like {@link #start(Script)}, the connections numbered in {@code silent} never getting a welcome. */
    static ScriptedServer startWithSilentConnections(Set<Integer> silent, Script script) {
        return new ScriptedServer(script, silent, false);
    }

    /** Like {@link #start(Script)}, each welcome followed at once by a message nobody asked for (not a broadcast). */
    static ScriptedServer startWithStrayAfterWelcome(Script script) {
        return new ScriptedServer(script, Set.of(), true);
    }

    String host() {
        return listener.getInetAddress().getHostAddress();
    }

    int port() {
        return listener.getLocalPort();
    }

    boolean isG2() {
        return g2;
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** Requests other than handshakes received so far, on every connection. */
    int callsReceived() {
        return requests.get();
    }

    /** Connections whose client closed them (end of stream, or a reset). */
    int connectionsClosedByClient() {
        return closedByClient.get();
    }

    /** Resets every open connection now (RST, not FIN), as a server or a NAT dropping idle connections does. */
    void resetAll() {
        sockets.forEach(ScriptedServer::reset);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                int number = accepted.incrementAndGet();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket, number), "scripted-hpx-" + number);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (!silentConnections.contains(number)) {
                ObjectNode welcomeData = JSON.createObjectNode();
                welcomeData.putObject("version").putArray("core").add(g2 ? 1 : 0).add(g2 ? 0 : 3).add(0);
                welcomeData.put("guest_allowed", true);
                // In one write, so that the client finds the stray message with the welcome, not in a race.
                ByteArrayOutputStream welcome = new ByteArrayOutputStream();
                welcome.write(frame(envelope(null, "", welcomeData)));
                if (strayAfterWelcome) {
                    welcome.write(frame(envelope(null, "", JSON.getNodeFactory().textNode("stray"))));
                }
                out.write(welcome.toByteArray());
                out.flush();
            }
            int calls = 0;
            while (true) {
                byte[] payload = readFrame(in);
                if (payload == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                JsonNode request = decode(payload);
                JsonNode id = request.get("__id__");
                boolean handshake = g2 ? "handshake".equals(request.path("command").asText())
                        : request.path("data").isObject();
                if (handshake) {
                    out.write(frame(envelope(id, SESSION, JSON.getNodeFactory().textNode("Authenticated"))));
                    out.flush();
                    continue;
                }
                requests.incrementAndGet();
                Action action = script.answer(number, ++calls, request);
                if (action.resets()) {
                    reset(socket);
                    return;
                }
                // The reply and any stray bytes in one write: they reach the client together, not in a race.
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                if (action.data() != null) {
                    answer.write(frame(envelope(id, SESSION, action.data())));
                }
                if (action.strayAfter() != null) {
                    answer.write(action.strayAfter());
                }
                out.write(answer.toByteArray());
                out.flush();
                if (action.closes()) {
                    return;
                }
            }
        } catch (IOException e) {
            closedByClient.incrementAndGet();
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private ObjectNode envelope(JsonNode id, String session, JsonNode data) {
        ObjectNode root = JSON.createObjectNode();
        if (g2 && id != null) {
            root.set("__id__", id);
        }
        root.put("session", session);
        root.put("name", "scripted");
        root.set("data", data);
        return root;
    }

    private byte[] frame(JsonNode root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (g2) {
            bytes.write(MSGPACK.writeValueAsBytes(root));
        } else {
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                gzip.write(JSON.writeValueAsBytes(root));
            }
        }
        bytes.write(EOF);
        return bytes.toByteArray();
    }

    private JsonNode decode(byte[] payload) throws IOException {
        if (g2) {
            return MSGPACK.readTree(payload);
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(payload))) {
            return JSON.readTree(gzip.readAllBytes());
        }
    }

    /** The bytes up to the next {@code <EOF>}, or null at the end of the stream. */
    private static byte[] readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            frame.write(b);
            matched = b == EOF[matched] ? matched + 1 : (b == EOF[0] ? 1 : 0);
            if (matched == EOF.length) {
                byte[] all = frame.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - EOF.length);
            }
        }
    }
}
