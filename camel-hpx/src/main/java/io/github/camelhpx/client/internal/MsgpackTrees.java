package io.github.camelhpx.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
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
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * MessagePack to a JSON tree and back with msgpack-core, building the nodes Jackson's MessagePack parser builds
 * and writing the bytes its generator writes, for a mapper whose tree features are Jackson's defaults
 * ({@link #readsAsJackson}, {@link #writesAsJackson}); a value either walk does not know ({@link Unknown}) leaves
 * the message to Jackson.
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

    /** The member names of HPX's envelopes, results and errors. */
    private static final String[] KNOWN_NAMES = {Envelope.ID, "session", "name", "data", "error", "fname", "code",
        "msg"};
    private static final byte[][] KNOWN_NAME_BYTES = Arrays.stream(KNOWN_NAMES)
            .map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    /** How deep {@link #write} goes before it leaves a tree to Jackson, whose own limits then apply. */
    private static final int MAX_WRITE_DEPTH = 100;

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
                    key = string(in, bytes, offset);
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
                    case STRING -> value = nodes.textNode(string(in, bytes, offset));
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

    /**
     * Whether msgpack-jackson's generator writes {@code mapper}'s trees as {@link #write} does, told by writing a tree
     * of every node kind the walk knows both ways once: whatever the mapper changes in how trees are written (null
     * members or empty arrays left out, members sorted, a root name, type ids, a serializer of its own for a node
     * class) leaves its trees to Jackson.
     */
    static boolean writesAsJackson(ObjectMapper mapper) {
        ObjectNode probe = JsonNodeFactory.instance.objectNode().put("z", 1).putNull("a").put("long", 1L << 40)
                .put("float", 1.5f).put("double", 2.25).put("yes", true).put("text", "é")
                .put("bytes", new byte[] {1, 2});
        probe.putArray("empty");
        probe.putObject("nested").putArray("items").addObject().put("x", -1);
        try {
            ByteArrayOutputStream generated = new ByteArrayOutputStream();
            try (JsonGenerator g = mapper.createGenerator(generated)) {
                mapper.writeTree(g, probe);
            }
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            MessagePacker packer = new MessagePack.PackerConfig().newPacker(packed);
            write(probe, packer);
            packer.flush();
            return Arrays.equals(generated.toByteArray(), packed.toByteArray());
        } catch (IOException | RuntimeException | Unknown e) {
            return false;
        }
    }

    /**
     * Packs {@code node} into {@code out} as msgpack-jackson's generator writes it, at less than half its cost: the
     * generator is made per message and keeps a node of its own for every value before it packs any.
     *
     * @throws Unknown at a number that is no int, long, float or double, at a node that is no JSON value (a POJO, a
     *                 missing node), or deeper than {@link #MAX_WRITE_DEPTH}; part of the tree may be in {@code out}
     */
    static void write(JsonNode node, MessagePacker out) throws IOException, Unknown {
        write(node, out, 0);
    }

    private static void write(JsonNode node, MessagePacker out, int depth) throws IOException, Unknown {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.packMapHeader(deeper(depth, node).size());
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    out.packString(member.getKey());
                    write(member.getValue(), out, depth + 1);
                }
            }
            case ARRAY -> {
                out.packArrayHeader(deeper(depth, node).size());
                for (JsonNode element : node) {
                    write(element, out, depth + 1);
                }
            }
            case STRING -> out.packString(node.textValue());
            case BOOLEAN -> out.packBoolean(node.booleanValue());
            case NULL -> out.packNil();
            case BINARY -> {
                byte[] bytes = node.binaryValue();
                out.packBinaryHeader(bytes.length);
                out.writePayload(bytes);
            }
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> out.packInt(node.intValue());
                    case LONG -> out.packLong(node.longValue());
                    case FLOAT -> out.packFloat(node.floatValue());
                    case DOUBLE -> out.packDouble(node.doubleValue());
                    default -> throw Unknown.INSTANCE;
                }
            }
            default -> throw Unknown.INSTANCE;
        }
    }

    private static JsonNode deeper(int depth, JsonNode container) throws Unknown {
        if (depth == MAX_WRITE_DEPTH) {
            throw Unknown.INSTANCE;
        }
        return container;
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

    /**
     * Decoded from {@code bytes} in place: reading the payload out first would copy every string twice. The member
     * names of every HPX message are not decoded anew each time.
     */
    private static String string(MessageUnpacker in, byte[] bytes, int offset) throws IOException {
        int length = in.unpackRawStringHeader();
        int at = offset + Math.toIntExact(in.getTotalReadBytes());
        in.readPayloadAsReference(length);
        for (int i = 0; i < KNOWN_NAMES.length; i++) {
            byte[] known = KNOWN_NAME_BYTES[i];
            if (Arrays.equals(known, 0, known.length, bytes, at, at + length)) {
                return KNOWN_NAMES[i];
            }
        }
        return new String(bytes, at, length, StandardCharsets.UTF_8);
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
