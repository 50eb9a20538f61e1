package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.SocketFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A deliberately minimal HPX wire client for the tests, built on plain java.util.zip so that it shares no
 * code with the server it checks.
 */
final class RawClient extends RawWireClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private RawClient(String host, int port, SocketFactory factory) {
        super(host, port, factory);
    }

    static RawClient connect(HpxTestServer server) {
        return connect(server, SocketFactory.getDefault());
    }

    static RawClient connect(HpxTestServer server, SocketFactory factory) {
        return connect(server.host(), server.port(), factory);
    }

    static RawClient connect(String host, int port, SocketFactory factory) {
        return new RawClient(host, port, factory);
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
        session(reply.get("session").asText());
        return reply;
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
        return send(session(), parse(callsJson));
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
        writeRaw(withMarker(payload));
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
        return readUntilMarker();
    }
}
