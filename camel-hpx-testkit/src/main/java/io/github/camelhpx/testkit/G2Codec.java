package io.github.camelhpx.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * G2 frames (§9.1): one MessagePack map followed by {@code <EOF>}, no compression. Encoding goes through one
 * Jackson mapper over msgpack-jackson, which writes strings as {@code str} (never {@code bin}) and integers in
 * their smallest form; a tree only holds the keys that were set, so absent keys are never sent as nil.
 */
final class G2Codec {

    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    /** The deepest nesting read: Jackson's default nesting limit. */
    static final int MAX_DEPTH = 1000;

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

    /**
     * Decodes exactly {@code length} bytes holding one MessagePack value into a tree, strings as UTF-8 as the real
     * server's msgpack does: msgpack-jackson reads those of up to 64 bytes in the JVM's default charset, which on a
     * Java 17 with the POSIX locale made every short non-ASCII argument question marks. A value nested deeper than
     * {@link #MAX_DEPTH} levels, or a map key that is no scalar (a container, binary), is refused (a 900 reply, where
     * a walk without a bound would end the connection's thread); an extension value (no HPX client sends one) is left
     * to Jackson.
     */
    static JsonNode decode(byte[] buf, int offset, int length) throws IOException {
        boolean[] extension = new boolean[1];
        JsonNode tree;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(buf, offset, length)) {
            tree = read(in, 0, extension);
        }
        // Walked whole first, so that the bound on nesting holds for what Jackson reads too.
        return extension[0] ? MSGPACK.readTree(buf, offset, length) : tree;
    }

    /** {@code extension[0]} is set at an extension value, which is skipped. */
    private static JsonNode read(MessageUnpacker in, int depth, boolean[] extension) throws IOException {
        MessageFormat format = in.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                in.unpackNil();
                return Json.NODES.nullNode();
            case BOOLEAN:
                return Json.NODES.booleanNode(in.unpackBoolean());
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger big = in.unpackBigInteger();
                    return big.bitLength() < Long.SIZE ? Json.NODES.numberNode(big.longValue())
                            : Json.NODES.numberNode(big);
                }
                long value = in.unpackLong();
                return value == (int) value ? Json.NODES.numberNode((int) value) : Json.NODES.numberNode(value);
            case FLOAT:
                return Json.NODES.numberNode(in.unpackDouble());
            case STRING:
                // Not unpackString, which gives each unpacker a decoder and a buffer of 8 Ki chars.
                return Json.NODES.textNode(new String(in.readPayload(in.unpackRawStringHeader()),
                        StandardCharsets.UTF_8));
            case BINARY:
                return Json.NODES.binaryNode(in.readPayload(in.unpackBinaryHeader()));
            case ARRAY: {
                ArrayNode array = Json.array();
                for (int i = in.unpackArrayHeader(); i > 0; i--) {
                    array.add(read(in, deeper(depth), extension));
                }
                return array;
            }
            case MAP: {
                ObjectNode object = Json.object();
                for (int i = in.unpackMapHeader(); i > 0; i--) {
                    String name = name(read(in, deeper(depth), extension));
                    object.set(name, read(in, deeper(depth), extension));
                }
                return object;
            }
            default:
                in.skipValue();
                extension[0] = true;
                return Json.NODES.nullNode();
        }
    }

    private static int deeper(int depth) {
        if (depth == MAX_DEPTH) {
            throw new MessageTypeException("nested deeper than " + MAX_DEPTH + " levels");
        }
        return depth + 1;
    }

    /** A map key as a member name: a string as it is, another scalar (a number, a boolean, nil) as its text. */
    private static String name(JsonNode key) {
        if (key.isContainerNode() || key.isBinary()) {
            throw new MessageTypeException("a map key that is " + key.getNodeType());
        }
        return key.asText();
    }
}
