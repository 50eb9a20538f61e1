package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static io.github.camelhpx.testkit.G2CommandTest.assertRootError;
import static org.assertj.core.api.Assertions.assertThat;

/** §9.1/§9.2 over real sockets: the welcome, MessagePack types, {@code <EOF>} inside strings, broken frames. */
class G2FramingTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2)
            .serverName("g2_test").function(FunctionSpec.echo()));

    @Test
    void theWelcomeIsAMsgpackMapWithoutIdAndItsFirstByteTellsG2() {
        try (G2RawClient c = G2RawClient.connect(hpx.server())) {
            int first = c.peekFirstByte();
            assertThat(first).isBetween(0x80, 0x8f);
            JsonNode welcome = c.read();
            assertThat(welcome.has("__id__")).isFalse();
            assertThat(welcome.path("session").asText()).isEmpty();
            assertThat(welcome.path("name").asText()).isEqualTo("g2_test");
            assertThat(welcome.path("data").path("guest_allowed").asBoolean()).isTrue();
            assertThat(welcome.path("data").path("version").path("core").toString()).isEqualTo("[1,0,0]");
            assertThat(welcome.size()).isEqualTo(3);
        }
    }

    @Test
    void stringsAreStrAndIntegersTakeTheirSmallestForm() throws Exception {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            c.send(G2RawClient.message("types", "call", c.session(),
                    RawClient.parse("[{\"fname\": \"get_count\"}, {\"fname\": \"echo\", \"value\": [5, 300, 70000, 5000000000, \"s\"]}]")));
            byte[] body = c.readFrameBody();
            Value reply = valueOf(body);
            Map<Value, Value> root = reply.asMapValue().map();
            root.keySet().forEach(k -> assertThat(k.getValueType()).isEqualTo(ValueType.STRING));
            assertThat(root.get(str("session")).getValueType()).isEqualTo(ValueType.STRING);
            Value results = root.get(str("data"));
            Value echoed = results.asArrayValue().get(1).asMapValue().map().get(str("data"));
            assertThat(echoed.asArrayValue().get(4).getValueType()).isEqualTo(ValueType.STRING);
            // 25 as a positive fixint: the byte 0x19 right after the "count" key (0xa5 'c' 'o' 'u' 'n' 't')
            assertThat(RawWireClient.indexOf(body, new byte[] {(byte) 0xa5, 'c', 'o', 'u', 'n', 't', 0x19})).isNotNegative();
            // 300 as uint16 (0xcd), 70000 as uint32 (0xce), 5e9 as uint64 (0xcf)
            assertThat(RawWireClient.indexOf(body, new byte[] {0x05, (byte) 0xcd, 0x01, 0x2c, (byte) 0xce, 0x00, 0x01, 0x11, 0x70,
                (byte) 0xcf, 0, 0, 0, 1, 0x2a, 0x05, (byte) 0xf2, 0x00})).isNotNegative();
        }
    }

    @Test
    void anEofMarkerInsideATitleOrASearchQueryRoundTrips() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            JsonNode echoed = c.callOne("{\"fname\": \"echo\", \"value\": {\"title\": \"before<EOF>after\"}}");
            assertThat(echoed.path("data").path(0).path("data").path("title").asText()).isEqualTo("before<EOF>after");
            JsonNode search = c.callOne("{\"fname\": \"search_items\", \"search_query\": \"<EOF>\"}");
            assertThat(search.path("data").path(0).path("data").path("count").asInt()).isZero();
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void splitAtFirstEofCutsAStringHoldingTheMarkerAsTheJsClientDoes() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).splitAtFirstEof(true)
                .function(FunctionSpec.echo()).build().start();
             G2RawClient c = G2RawClient.guest(server)) {
            c.send(G2RawClient.message("cut", "call", c.session(),
                    RawClient.parse("[{\"fname\": \"echo\", \"value\": \"a<EOF>b\"}]")));
            assertRootError(c.read(), null, 900, "Failed parsing MessagePack data: truncated MessagePack value");
            // the tail "b" is a complete value on its own: the positive fixint 98
            assertRootError(c.read(), null, 403, "A dict was expected, not: 98");
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void aFrameArrivingByteByByteIsAnswered() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            byte[] frame = G2RawClient.frame(G2RawClient.message(42, "call", c.session(),
                    RawClient.parse("[{\"fname\": \"echo\", \"value\": \"x<EOF>y\"}]")));
            for (byte b : frame) {
                c.writeRaw(new byte[] {b});
            }
            JsonNode reply = c.read();
            assertThat(reply.path("__id__").asInt()).isEqualTo(42);
            assertThat(reply.path("data").path(0).path("data").asText()).isEqualTo("x<EOF>y");
        }
    }

    @Test
    void undecodableFramesAre900AndTheConnectionStaysUsable() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            c.writeRaw(new byte[] {(byte) 0xc1, 1, 2, 3, '<', 'E', 'O', 'F', '>'});
            JsonNode bad = c.read();
            assertThat(bad.has("__id__")).isFalse();
            assertThat(bad.path("error").path("code").asInt()).isEqualTo(900);
            assertThat(bad.path("error").path("msg").asText()).startsWith("Failed parsing MessagePack data: invalid MessagePack");
            c.writeRaw("<EOF>".getBytes(StandardCharsets.US_ASCII));
            assertRootError(c.read(), null, 900, "Failed parsing MessagePack data: empty frame");
            byte[] valueThenJunk = {(byte) 0x80, 'x', 'y', '<', 'E', 'O', 'F', '>'};
            c.writeRaw(valueThenJunk);
            assertRootError(c.read(), null, 900, "Failed parsing MessagePack data: extra data after the value");
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void absurdNestingIs900AndTheConnectionStaysUsable() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            byte[] nested = new byte[100_000 + 1 + 5];
            Arrays.fill(nested, 0, 100_000, (byte) 0x91);
            nested[100_000] = (byte) 0xc0;
            System.arraycopy("<EOF>".getBytes(StandardCharsets.US_ASCII), 0, nested, 100_001, 5);
            c.writeRaw(nested);
            assertRootError(c.read(), null, 900,
                    "Failed parsing MessagePack data: invalid MessagePack (nested deeper than 1000 levels)");
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void anIntegerMapKeyIsReadAsItsDecimalString() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            // {1: 2} + <EOF>: the key becomes "1", so the root lacks __id__
            c.writeRaw(new byte[] {(byte) 0x81, 0x01, 0x02, '<', 'E', 'O', 'F', '>'});
            assertRootError(c.read(), null, 403, "JSON dict missing '__id__' key");
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void aFrameBeyondMaxFrameBytesEndsTheConnection() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).maxFrameBytes(1024).build().start();
             G2RawClient c = G2RawClient.guest(server)) {
            c.send(G2RawClient.message(1, "call", c.session(),
                    RawClient.parse("[{\"fname\": \"search_items\", \"search_query\": \"" + "q".repeat(4000) + "\"}]")));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    private static Value valueOf(byte[] body) throws Exception {
        try (var u = org.msgpack.core.MessagePack.newDefaultUnpacker(body)) {
            return u.unpackValue();
        }
    }

    private static Value str(String s) {
        return org.msgpack.value.ValueFactory.newString(s);
    }
}
