package io.github.camelhpx.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageTypeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.value.IntegerValue;
import org.msgpack.value.Value;

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

    /**
     * Decodes exactly {@code length} bytes holding one MessagePack value into a tree, strings as UTF-8 as the real
     * server's msgpack does: msgpack-jackson reads those of up to 64 bytes in the JVM's default charset, which on a
     * Java 17 with the POSIX locale made every short non-ASCII argument question marks. An extension value (no HPX
     * client sends one) is left to Jackson.
     */
    static JsonNode decode(byte[] buf, int offset, int length) throws IOException {
        Value value;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(buf, offset, length)) {
            value = in.unpackValue();
        }
        try {
            return tree(value);
        } catch (ExtensionValueException e) {
            return MSGPACK.readTree(buf, offset, length);
        }
    }

    private static JsonNode tree(Value value) {
        return switch (value.getValueType()) {
            case NIL -> Json.NODES.nullNode();
            case BOOLEAN -> Json.NODES.booleanNode(value.asBooleanValue().getBoolean());
            case INTEGER -> {
                IntegerValue integer = value.asIntegerValue();
                yield integer.isInIntRange() ? Json.NODES.numberNode(integer.toInt())
                        : integer.isInLongRange() ? Json.NODES.numberNode(integer.toLong())
                        : Json.NODES.numberNode(integer.toBigInteger());
            }
            case FLOAT -> Json.NODES.numberNode(value.asFloatValue().toDouble());
            case STRING -> Json.NODES.textNode(value.asStringValue().asString());
            case BINARY -> Json.NODES.binaryNode(value.asBinaryValue().asByteArray());
            case ARRAY -> {
                ArrayNode array = Json.array();
                value.asArrayValue().forEach(element -> array.add(tree(element)));
                yield array;
            }
            case MAP -> {
                ObjectNode object = Json.object();
                value.asMapValue().map().forEach((key, member) -> object.set(name(key), tree(member)));
                yield object;
            }
            case EXTENSION -> throw new ExtensionValueException();
        };
    }

    /** A map key as a member name: a string as it is, another scalar as its JSON text, as Jackson names it. */
    private static String name(Value key) {
        if (key.isStringValue()) {
            return key.asStringValue().asString();
        }
        if (key.isArrayValue() || key.isMapValue() || key.isBinaryValue() || key.isExtensionValue()) {
            throw new MessageTypeException("a map key that is " + key.getValueType());
        }
        return key.toJson();
    }

    private static final class ExtensionValueException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ExtensionValueException() {
            super(null, null, false, false);
        }
    }
}
