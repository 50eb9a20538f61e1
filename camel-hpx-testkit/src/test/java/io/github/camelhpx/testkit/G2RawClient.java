package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal G2 wire client for the tests, on msgpack-core's packer and {@link Value} API, so that it shares no
 * code with the server's Jackson-based codec. Frames are read the robust way: one MessagePack value, then
 * {@code <EOF>}.
 */
final class G2RawClient extends RawWireClient {

    private final AtomicInteger ids = new AtomicInteger();

    private G2RawClient(String host, int port) {
        super(host, port, SocketFactory.getDefault());
    }

    static G2RawClient connect(String host, int port) {
        return new G2RawClient(host, port);
    }

    static G2RawClient connect(HpxTestServer server) {
        return connect(server.host(), server.port());
    }

    /** Connects and consumes the welcome. */
    static G2RawClient welcomed(HpxTestServer server) {
        G2RawClient c = connect(server);
        c.read();
        return c;
    }

    /** Connects, consumes the welcome and handshakes as a guest. */
    static G2RawClient guest(HpxTestServer server) {
        G2RawClient c = welcomed(server);
        c.handshake(RawClient.MAPPER.createObjectNode());
        return c;
    }

    JsonNode handshake(JsonNode credentials) {
        JsonNode reply = request("handshake", "", credentials);
        if (!"Authenticated".equals(reply.path("data").asText())) {
            throw new AssertionError("handshake refused: " + reply);
        }
        session(reply.get("session").asText());
        return reply;
    }

    String nextId() {
        return "test_msg_" + ids.incrementAndGet();
    }

    /** Sends {__id__, command, session, name, data} with a fresh id and reads the reply. */
    JsonNode request(String command, String sessionId, JsonNode data) {
        String id = nextId();
        send(message(id, command, sessionId, data));
        JsonNode reply = read();
        if (!id.equals(reply.path("__id__").asText(null))) {
            throw new AssertionError("expected the reply to " + id + ", got " + reply);
        }
        return reply;
    }

    static ObjectNode message(Object id, String command, String sessionId, JsonNode data) {
        ObjectNode m = RawClient.MAPPER.createObjectNode();
        m.set("__id__", RawClient.MAPPER.valueToTree(id));
        m.put("command", command);
        m.put("session", sessionId);
        m.put("name", "test-client");
        m.set("data", data);
        return m;
    }

    /** A call in the current session; {@code callsJson} is a JSON array text. */
    JsonNode call(String callsJson) {
        return request("call", session(), RawClient.parse(callsJson));
    }

    JsonNode callOne(String callJson) {
        return call("[" + callJson + "]");
    }

    /** Sends a message built from a tree (packed here, not by Jackson's msgpack backend). */
    void send(JsonNode root) {
        writeRaw(frame(root));
    }

    static byte[] frame(JsonNode root) {
        return withMarker(pack(root));
    }

    static byte[] pack(JsonNode node) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, node);
            p.flush();
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pack(MessageBufferPacker p, JsonNode n) throws IOException {
        if (n == null || n.isNull()) {
            p.packNil();
        } else if (n.isTextual()) {
            p.packString(n.textValue());
        } else if (n.isBoolean()) {
            p.packBoolean(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            p.packLong(n.longValue());
        } else if (n.isNumber()) {
            p.packDouble(n.doubleValue());
        } else if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode e : n) {
                pack(p, e);
            }
        } else if (n.isObject()) {
            p.packMapHeader(n.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                p.packString(e.getKey());
                pack(p, e.getValue());
            }
        } else {
            throw new IllegalArgumentException("cannot pack " + n);
        }
    }

    /** The next frame as a tree (through msgpack-core's Value and JSON). */
    JsonNode read() {
        return RawClient.parse(readValue().toJson());
    }

    /** The next frame as a msgpack-core value, with its wire types (str/bin, int widths) intact. */
    Value readValue() {
        byte[] body = readFrameBody();
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(body)) {
            return u.unpackValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame's MessagePack bytes: one complete value, which must be followed by {@code <EOF>}. */
    byte[] readFrameBody() {
        try {
            while (true) {
                byte[] pending = buffered();
                int len = valueLength(pending);
                if (len >= 0 && pending.length >= len + EOF.length) {
                    if (!Arrays.equals(pending, len, len + EOF.length, EOF, 0, EOF.length)) {
                        throw new AssertionError("no <EOF> after the value: " + Arrays.toString(pending));
                    }
                    return take(len);
                }
                readMore();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int valueLength(byte[] b) throws IOException {
        if (b.length == 0) {
            return -1;
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b)) {
            u.skipValue();
            return (int) u.getTotalReadBytes();
        } catch (MessageInsufficientBufferException e) {
            return -1;
        }
    }
}
