package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The tree walks build exactly the nodes Jackson's MessagePack parser builds and write exactly the bytes its generator
 * writes, for every kind of value and every size boundary of the format; and where they cannot (a mapper's own tree
 * features, values they do not know), the codec still gives what Jackson gives.
 */
// No server involved: run once, in the G1 pass
@Tag("g1")
class MsgpackTreesTest {

    private static final long LIMIT = 64L * 1024 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JACKSON = new ObjectMapper(new MessagePackFactory());

    private static JsonNode read(byte[] bytes) throws Exception {
        return MsgpackTrees.read(bytes, 0, bytes.length, NODES);
    }

    /** Every node kind, at each boundary where MessagePack changes its header. */
    private static List<JsonNode> edges() {
        List<JsonNode> trees = new ArrayList<>();
        for (long n : new long[] {0, 1, 127, 128, 255, 256, 65535, 65536, Integer.MAX_VALUE, 1L + Integer.MAX_VALUE,
            4294967295L, 4294967296L, Long.MAX_VALUE, -1, -32, -33, -128, -129, -32768, -32769, Integer.MIN_VALUE,
            Integer.MIN_VALUE - 1L, Long.MIN_VALUE}) {
            trees.add(n == (int) n ? NODES.numberNode((int) n) : NODES.numberNode(n));
            trees.add(NODES.numberNode(n));
        }
        trees.add(NODES.numberNode(new BigInteger("9223372036854775808")));
        trees.add(NODES.numberNode(new BigInteger("18446744073709551615")));
        trees.add(NODES.numberNode((short) -300));
        for (double d : new double[] {0.0, -0.0, 1.5, -2.25e300, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE}) {
            trees.add(NODES.numberNode(d));
            trees.add(NODES.numberNode((float) d));
        }
        for (int length : new int[] {0, 1, 31, 32, 64, 65, 255, 256, 65535, 65536}) {
            trees.add(NODES.textNode("a".repeat(length)));
            trees.add(NODES.binaryNode(new byte[length]));
        }
        trees.add(NODES.textNode("Ōkami — 大神 réader 🐺"));
        trees.add(NODES.textNode("é".repeat(40)));
        trees.add(NODES.booleanNode(true));
        trees.add(NODES.booleanNode(false));
        trees.add(NODES.nullNode());
        for (int size : new int[] {0, 15, 16, 65535, 65536}) {
            ObjectNode object = NODES.objectNode();
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < size; i++) {
                object.put("k" + i, i);
                array.add(i % 3 == 0 ? NODES.nullNode() : NODES.textNode("v" + i));
            }
            trees.add(object);
            trees.add(array);
        }
        ObjectNode nested = NODES.objectNode();
        nested.putArray("empty");
        nested.putObject("none");
        nested.putNull("nothing");
        nested.putObject("a").putArray("b").addObject().putArray("c").add(1).addArray().addObject();
        trees.add(nested);
        JsonNode deep = NODES.numberNode(1);
        for (int depth = 0; depth < MsgpackFrameDecoder.MAX_DEPTH - 1; depth++) {
            deep = depth % 2 == 0 ? NODES.arrayNode().add(deep) : NODES.objectNode().set("d", deep);
        }
        trees.add(deep);
        return trees;
    }

    private static JsonNode random(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 8 : 10);
        return switch (kind) {
            case 0 -> NODES.numberNode(random.nextInt(1 << random.nextInt(31)) * (random.nextBoolean() ? 1 : -1));
            case 1 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 2 -> NODES.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> NODES.textNode(randomText(random));
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> {
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                yield NODES.binaryNode(bytes);
            }
            case 7 -> NODES.numberNode(random.nextFloat());
            case 8 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(20); i > 0; i--) {
                    array.add(random(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(20); i > 0; i--) {
                    object.set(randomText(random), random(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(random.nextBoolean() ? 8 : 100); i > 0; i--) {
            text.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> 'a' + random.nextInt(26);
                case 1 -> 0xc0 + random.nextInt(0x100);
                case 2 -> 0x3040 + random.nextInt(0x100);
                default -> 0x1f300 + random.nextInt(0x100);
            });
        }
        return text.toString();
    }

    private static List<JsonNode> corpus() {
        List<JsonNode> trees = edges();
        Random random = new Random(20261206);
        for (int i = 0; i < 3000; i++) {
            trees.add(random(random, 0));
        }
        return trees;
    }

    @Test
    void everyValueIsReadAsJacksonReadsIt() throws Exception {
        List<byte[]> values = new ArrayList<>();
        for (JsonNode tree : corpus()) {
            values.add(JACKSON.writeValueAsBytes(tree));
        }
        // What other encoders write, that Jackson never does: integers in wider forms than they need, a float32,
        // a str8 for a short string, a key given twice.
        values.add(new byte[] {(byte) 0xcc, 5});
        values.add(new byte[] {(byte) 0xcd, 0, 5});
        values.add(new byte[] {(byte) 0xce, 0, 0, 0, 5});
        values.add(new byte[] {(byte) 0xcf, 0, 0, 0, 0, 0, 0, 0, 5});
        values.add(new byte[] {(byte) 0xd3, 0, 0, 0, 0, 0, 0, 0, 5});
        values.add(new byte[] {(byte) 0xd0, -5});
        values.add(new byte[] {(byte) 0xca, 0x3f, (byte) 0xc0, 0, 0});
        values.add(new byte[] {(byte) 0xd9, 2, 'h', 'i'});
        values.add(new byte[] {(byte) 0x83, (byte) 0xa1, 'a', 1, (byte) 0xa1, 'b', 2, (byte) 0xa1, 'a', 3});
        for (byte[] value : values) {
            JsonNode expected = JACKSON.readTree(value);
            assertThat(read(value)).as("%.200s", expected).isEqualTo(expected);
        }
        assertThat(read(values.get(values.size() - 1)).fieldNames()).toIterable().containsExactly("a", "b");
    }

    @Test
    void stringsAreUtf8WhateverTheDefaultCharset() throws Exception {
        String text = "Ōkami réader";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[utf8.length + 2];
        value[0] = (byte) 0xd9;
        value[1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, value, 2, utf8.length);
        assertThat(read(value).textValue()).isEqualTo(text);
    }

    @Test
    void valuesTheWalksDoNotKnowAreLeftToJacksonAndTheCodecGivesWhatJacksonGives() throws Exception {
        MsgpackCodec codec = new MsgpackCodec(MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT), LIMIT);
        // An extension value, and keys that are an integer and a boolean.
        byte[] extension = {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xd4, 7, 42};
        byte[] oddKeys = {(byte) 0x82, 1, (byte) 0xa1, 'a', (byte) 0xc3, (byte) 0xa1, 'b'};
        for (byte[] value : List.of(extension, oddKeys)) {
            assertThatThrownBy(() -> read(value)).isInstanceOf(MsgpackTrees.Unknown.class);
            assertThat(codec.parse(value)).isEqualTo(JACKSON.readTree(value));
        }
        assertThat(codec.parse(oddKeys).fieldNames()).toIterable().containsExactly("1", "true");
    }

    @Test
    void aMappersOwnTreeFeaturesAreHonouredThroughJackson() throws Exception {
        assertThat(MsgpackTrees.readsAsJackson(MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT))).isTrue();
        ObjectMapper msgpack = MsgpackCodec.mapperFor(
                new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS), LIMIT);
        assertThat(MsgpackTrees.readsAsJackson(msgpack)).isFalse();
        assertThat(new MsgpackCodec(msgpack, LIMIT).parse(JACKSON.writeValueAsBytes(NODES.numberNode(1.5)))
                .isBigDecimal()).isTrue();
        ObjectMapper withoutNulls = MsgpackCodec.mapperFor(
                new ObjectMapper().configure(JsonNodeFeature.READ_NULL_PROPERTIES, false), LIMIT);
        assertThat(new MsgpackCodec(withoutNulls, LIMIT).parse(JACKSON.writeValueAsBytes(NODES.objectNode()
                .putNull("gone").put("kept", 1)))).isEqualTo(NODES.objectNode().put("kept", 1));
    }

    /** A request with {@code data} as the codec encodes it, {@code <EOF>} left off. */
    private static byte[] encoded(MsgpackCodec codec, String session, JsonNode data) {
        GrowableBuffer frame = codec.encode(42L, "call", session, "client", data);
        return Arrays.copyOf(frame.array(), frame.size() - FrameBuffer.DELIMITER.length);
    }

    /** The same request as msgpack-jackson's generator writes it with {@code mapper}, its members in the same order. */
    private static byte[] generated(ObjectMapper mapper, String session, JsonNode data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("__id__", 42L);
            g.writeStringField("command", "call");
            g.writeStringField("session", session);
            g.writeStringField("name", "client");
            g.writeFieldName("data");
            mapper.writeTree(g, data == null ? NODES.nullNode() : data);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    @Test
    void everyTreeIsWrittenAsJacksonWritesIt() throws Exception {
        ObjectMapper mapper = MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT);
        assertThat(MsgpackTrees.writesAsJackson(mapper)).isTrue();
        MsgpackCodec codec = new MsgpackCodec(mapper, LIMIT);
        List<JsonNode> trees = corpus();
        // Values only the generator writes, alone and inside a tree the walk has begun to pack: the message after
        // each must not carry what the walk left behind.
        trees.add(NODES.numberNode(new BigDecimal("1.25")));
        trees.add(NODES.arrayNode().add("before").add(NODES.pojoNode(List.of("a", 1))).add("after"));
        trees.add(NODES.objectNode().put("big", new BigInteger("18446744073709551615")));
        trees.add(NODES.textNode("a lone surrogate \uD800 and a pair \uD83D\uDC3A"));
        // One the packer flushed part of before it met the decimal, and one after it.
        trees.add(NODES.arrayNode().add("long ".repeat(4_000)).add(new BigDecimal("0.5")));
        trees.add(NODES.arrayNode().add("after a big one"));
        for (JsonNode tree : trees) {
            assertThat(encoded(codec, "s3ss10n", tree)).as("%.200s", tree).isEqualTo(generated(mapper, "s3ss10n", tree));
        }
        assertThat(encoded(codec, null, null)).isEqualTo(generated(mapper, null, null));
    }

    @Test
    void aMappersOwnWritingFeaturesAreHonouredThroughJackson() throws Exception {
        ObjectNode data = NODES.objectNode().put("b", 1).putNull("a");
        data.putArray("none");
        for (ObjectMapper user : List.of(new ObjectMapper().configure(JsonNodeFeature.WRITE_NULL_PROPERTIES, false),
                new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true),
                new ObjectMapper().disable(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS),
                new ObjectMapper().enable(SerializationFeature.WRAP_ROOT_VALUE))) {
            ObjectMapper mapper = MsgpackCodec.mapperFor(user, LIMIT);
            assertThat(MsgpackTrees.writesAsJackson(mapper)).isFalse();
            byte[] encoded = encoded(new MsgpackCodec(mapper, LIMIT), "s", data);
            assertThat(encoded).isEqualTo(generated(mapper, "s", data));
            assertThat(encoded).isNotEqualTo(generated(MsgpackCodec.mapperFor(new ObjectMapper(), LIMIT), "s", data));
        }
    }
}
