package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * MessagePack to a JSON tree with msgpack-core, building the nodes Jackson's MessagePack parser builds, for a
 * mapper whose tree features are Jackson's defaults ({@link #readsAsJackson}); a value it does not know
 * ({@link Unknown}) leaves the message to Jackson.
 * <p>
 * Why not Jackson: strings are MessagePack's UTF-8, and msgpack-jackson 0.9.10 (and its latest release) reads a
 * string of up to 64 bytes in the JVM's default charset. On a Java 17 whose locale is not UTF-8 (a container's
 * POSIX locale) every short non-ASCII string of a G2 reply came out as question marks: a title, a tag, an artist.
 * The walk is also cheaper (0.02 µs against 0.07 µs for a {@code get_version} reply, measured alone), which no
 * benchmark of a whole call can see.
 */
final class MsgpackTrees {

    /** The message holds a value the walk does not know: Jackson reads it. */
    static final class Unknown extends Exception {

        private static final long serialVersionUID = 1L;
        private static final Unknown INSTANCE = new Unknown();

        private Unknown() {
            super(null, null, false, false);
        }
    }

    private MsgpackTrees() {
    }

    /** Whether {@code mapper} builds trees as {@link #read} does. */
    static boolean readsAsJackson(ObjectMapper mapper) {
        DeserializationConfig config = mapper.getDeserializationConfig();
        return !config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                && !config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                && !config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                && !config.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                && config.isEnabled(JsonNodeFeature.READ_NULL_PROPERTIES);
    }

    /**
     * The tree of the one MessagePack value in {@code bytes}, whose bounds, nesting and value count the frame
     * decoder has checked. Iterative: a frame may nest {@link MsgpackFrameDecoder#MAX_DEPTH} deep.
     *
     * @throws Unknown    at an extension value or a key that is no string, which Jackson turns into its own
     *                    nodes and names
     * @throws IOException when the bytes end inside the value
     */
    static JsonNode read(byte[] bytes, int offset, int length, JsonNodeFactory nodes) throws IOException, Unknown {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
            Containers open = new Containers();
            JsonNode root = null;
            do {
                String key = null;
                if (open.inObject()) {
                    if (in.getNextFormat().getValueType() != ValueType.STRING) {
                        throw Unknown.INSTANCE;
                    }
                    key = string(in);
                }
                JsonNode value;
                int size = 0;
                MessageFormat format = in.getNextFormat();
                switch (format.getValueType()) {
                    case MAP -> {
                        size = in.unpackMapHeader();
                        value = nodes.objectNode();
                    }
                    case ARRAY -> {
                        size = in.unpackArrayHeader();
                        value = nodes.arrayNode(size);
                    }
                    case STRING -> value = nodes.textNode(string(in));
                    case INTEGER -> value = integer(in, format, nodes);
                    case FLOAT -> value = nodes.numberNode(in.unpackDouble());
                    case BOOLEAN -> value = nodes.booleanNode(in.unpackBoolean());
                    case NIL -> {
                        in.unpackNil();
                        value = nodes.nullNode();
                    }
                    case BINARY -> value = nodes.binaryNode(in.readPayload(in.unpackBinaryHeader()));
                    default -> throw Unknown.INSTANCE;
                }
                if (open.isEmpty()) {
                    root = value;
                } else {
                    open.add(key, value);
                }
                if (size > 0) {
                    open.push((ContainerNode<?>) value, size);
                }
            } while (!open.isEmpty());
            return root;
        }
    }

    /** As msgpack-jackson reads integers: an {@code int} where it fits, except a {@code uint64}, then a long. */
    private static JsonNode integer(MessageUnpacker in, MessageFormat format, JsonNodeFactory nodes)
            throws IOException {
        if (format == MessageFormat.UINT64) {
            BigInteger value = in.unpackBigInteger();
            return value.bitLength() < Long.SIZE ? nodes.numberNode(value.longValue()) : nodes.numberNode(value);
        }
        long value = in.unpackLong();
        return value == (int) value ? nodes.numberNode((int) value) : nodes.numberNode(value);
    }

    private static String string(MessageUnpacker in) throws IOException {
        int length = in.unpackRawStringHeader();
        return new String(in.readPayload(length), StandardCharsets.UTF_8);
    }

    /** The containers still being filled, innermost last, with how many values each still takes. */
    private static final class Containers {

        private ContainerNode<?>[] nodes = new ContainerNode<?>[8];
        private long[] left = new long[8];
        private int top = -1;

        boolean isEmpty() {
            return top < 0;
        }

        boolean inObject() {
            return top >= 0 && nodes[top] instanceof ObjectNode;
        }

        void push(ContainerNode<?> node, long size) {
            if (++top == nodes.length) {
                nodes = Arrays.copyOf(nodes, top * 2);
                left = Arrays.copyOf(left, top * 2);
            }
            nodes[top] = node;
            left[top] = size;
        }

        /** Adds a value to the innermost container, and closes every container that is then full. */
        void add(String key, JsonNode value) {
            if (nodes[top] instanceof ObjectNode object) {
                // A key given twice keeps its place and takes the later value, as Jackson's reading does.
                object.replace(key, value);
            } else {
                ((ArrayNode) nodes[top]).add(value);
            }
            left[top]--;
            while (top >= 0 && left[top] == 0) {
                nodes[top--] = null;
            }
        }
    }
}
