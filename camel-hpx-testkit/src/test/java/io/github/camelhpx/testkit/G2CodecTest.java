package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageTypeException;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded G2 server reads every kind of MessagePack value a request may hold into the tree it stands for. */
class G2CodecTest {

    private static JsonNode decode(byte[] bytes) throws Exception {
        return G2Codec.decode(bytes, 0, bytes.length);
    }

    @Test
    void everyValueKindIsReadAsTheTreeItWasWrittenFrom() throws Exception {
        List<JsonNode> trees = new ArrayList<>();
        for (long n : new long[] {0, 1, -1, -32, -33, 127, 128, -128, -129, 255, 256, 32767, -32768, -32769, 65535,
            65536, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L + Integer.MAX_VALUE, 4294967295L, 4294967296L,
            Long.MAX_VALUE, Long.MIN_VALUE}) {
            trees.add(n == (int) n ? Json.NODES.numberNode((int) n) : Json.NODES.numberNode(n));
        }
        trees.add(Json.NODES.numberNode(new BigInteger("18446744073709551615")));
        trees.add(Json.NODES.numberNode(-2.25e300));
        for (int length : new int[] {0, 31, 32, 255, 256, 65536}) {
            trees.add(Json.NODES.textNode("é".repeat(length)));
            trees.add(Json.NODES.binaryNode(new byte[length]));
        }
        trees.add(Json.NODES.textNode("Ōkami 大神 🐺"));
        trees.add(Json.NODES.booleanNode(true));
        trees.add(Json.NODES.nullNode());
        ObjectNode nested = Json.object();
        nested.putArray("empty");
        nested.putObject("none");
        nested.putNull("nothing");
        ArrayNode deep = nested.putObject("a").putArray("b");
        for (int i = 0; i < 50; i++) {
            deep = deep.addArray();
        }
        trees.add(nested);
        for (JsonNode tree : trees) {
            assertThat(decode(G2Codec.MSGPACK.writeValueAsBytes(tree))).as("%.100s", tree).isEqualTo(tree);
        }
    }

    @Test
    void whatJacksonNeverWritesIsReadAsJacksonReadsIt() throws Exception {
        // a float32, a key given twice (the later value, in the first place), keys that are a number, a boolean, nil
        assertThat(decode(new byte[] {(byte) 0xca, 0x3f, (byte) 0xc0, 0, 0})).isEqualTo(Json.NODES.numberNode(1.5));
        JsonNode twice = decode(new byte[] {(byte) 0x83, (byte) 0xa1, 'a', 1, (byte) 0xa1, 'b', 2, (byte) 0xa1, 'a', 3});
        assertThat(twice).isEqualTo(Json.object().put("a", 3).put("b", 2));
        assertThat(twice.fieldNames()).toIterable().containsExactly("a", "b");
        assertThat(decode(new byte[] {(byte) 0x83, 1, 2, (byte) 0xc3, 3, (byte) 0xc0, 4}))
                .isEqualTo(Json.object().put("1", 2).put("true", 3).put("null", 4));
    }

    @Test
    void nestingBeyondTheBoundIsRefusedEvenAfterAnExtensionValue() {
        // [ext, [[[...1,100 deep...]]]]: the extension leaves the message to Jackson, but only once the bound held
        byte[] bytes = new byte[1 + 3 + 1_100 + 1];
        bytes[0] = (byte) 0x92;
        bytes[1] = (byte) 0xd4;
        bytes[2] = 1;
        Arrays.fill(bytes, 4, 4 + 1_100, (byte) 0x91);
        bytes[bytes.length - 1] = (byte) 0xc0;
        assertThatThrownBy(() -> decode(bytes)).isInstanceOf(MessageTypeException.class)
                .hasMessageContaining("nested deeper than 1000 levels");
    }
}
