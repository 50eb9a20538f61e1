package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Messages that quote a long secret, which the client masks before it shows any of them: masking a value of some
 * thousand characters overflowed the stack, and a preview printed the whole message first.
 */
class LongSecretReplyTest {

    private static final String LONG = "s".repeat(50_000);

    private static HpxClient.Builder clientOf(ScriptedServer server) {
        return HpxClient.builder().host(server.host()).port(server.port()).requestTimeout(Duration.ofSeconds(5));
    }

    /** A reply that answers another function: a typed error, its preview short and masked. */
    @Test
    void aReplyQuotingALongSessionFailsTypedWithAShortMaskedPreview() {
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(Map.of("fname", "other", "data", Map.of("session", LONG)))));
             HpxClient client = clientOf(server).build()) {
            assertThatThrownBy(() -> client.call("get_version")).isInstanceOf(HpxProtocolException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("sss"));
        }
    }

    /** G2: a frame nobody asked for, quoting a long session, is dropped; the connection and its calls go on. */
    @Test
    @Tag("g2")
    void anUnaskedFrameQuotingALongSessionLeavesTheConnectionWorking() throws Exception {
        ByteArrayOutputStream unasked = new ByteArrayOutputStream();
        unasked.write(TestClients.MSGPACK.writeValueAsBytes(Map.of("session", "", "name", "n",
                "data", Map.of("session", LONG))));
        unasked.write("<EOF>".getBytes(StandardCharsets.US_ASCII));
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> {
            ScriptedServer.Action answer = ScriptedServer.Action.reply(
                    List.of(Map.of("fname", "get_version", "data", "call " + call)));
            return call == 1 ? answer.thenStray(unasked.toByteArray()) : answer;
        }); HpxClient client = clientOf(server).build()) {
            assertThat(client.call("get_version").asText()).isEqualTo("call 1");
            assertThat(client.call("get_version").asText()).isEqualTo("call 2");
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }
}
