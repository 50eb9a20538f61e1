package io.github.camelhpx.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * G2 frames (§9.1): one MessagePack map followed by {@code <EOF>}, no compression. Encoding goes through one
 * Jackson mapper over msgpack-jackson, which writes strings as {@code str} (never {@code bin}) and integers in
 * their smallest form; a tree only holds the keys that were set, so absent keys are never sent as nil.
 */
final class G2Codec {

    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private G2Codec() {
    }

    /** The frame for a root map: its MessagePack bytes, then {@code <EOF>}. */
    static byte[] frame(ObjectNode root) {
        byte[] body;
        try {
            body = MSGPACK.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        byte[] frame = Arrays.copyOf(body, body.length + GzipCodec.EOF_MARKER.length);
        System.arraycopy(GzipCodec.EOF_MARKER, 0, frame, body.length, GzipCodec.EOF_MARKER.length);
        return frame;
    }

    /** {@code {"__id__"?, "session", "name", "data", "error"?}}, in that key order; {@code id} null leaves it out. */
    static ObjectNode root(JsonNode id, String session, String serverName, JsonNode data, HpxApiError error) {
        ObjectNode root = Json.object();
        if (id != null) {
            root.set("__id__", id);
        }
        root.put("session", session);
        root.put("name", serverName);
        if (error != null) {
            root.putNull("data");
            ObjectNode e = root.putObject("error");
            e.put("code", error.code());
            e.put("msg", error.msg());
        } else {
            root.set("data", data == null ? Json.NODES.nullNode() : data);
        }
        return root;
    }

    /** Decodes exactly {@code length} bytes holding one MessagePack value into a tree. */
    static JsonNode decode(byte[] buf, int offset, int length) throws IOException {
        return MSGPACK.readTree(buf, offset, length);
    }
}
