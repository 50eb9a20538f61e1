package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.camelhpx.component.LogCapture;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Messages that quote a long secret, which the client masks before it shows any of them: masking a value of some
 * thousand characters overflowed the stack, and a preview printed the whole message first. And a long {@code __id__}
 * that matches no request, which the server chose, is shown as briefly as the data.
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
        try (ScriptedServer server = strayAfterTheFirstReply(Map.of("session", "", "name", "n",
                "data", Map.of("session", LONG))); HpxClient client = clientOf(server).build()) {
            callTwice(client);
            assertThat(server.connectionsAccepted()).isEqualTo(1);
        }
    }

    /** G2: a reply whose {@code __id__} matches no request is logged and dropped, its id previewed as its data is. */
    @Test
    @Tag("g2")
    void anUnmatchedReplyIsLoggedWithItsLongIdShortened() throws Exception {
        try (LogCapture log = new LogCapture(Level.WARN);
             ScriptedServer server = strayAfterTheFirstReply(Map.of("__id__", LONG, "session", "", "name", "n",
                     "data", "late"));
             HpxClient client = clientOf(server).build()) {
            callTwice(client);

            await().until(() -> log.text().contains("answers no request in flight"));
            assertThat(log.text().lines().filter(line -> line.contains("answers no request in flight")))
                    .singleElement().satisfies(line -> assertThat(line).hasSizeLessThan(1_200)
                            .contains("__id__ \"ssss").contains("\"late\""));
        }
    }

    /** A G2 server that answers each call, and sends {@code stray} as a frame of its own after its first reply. */
    private static ScriptedServer strayAfterTheFirstReply(Map<String, Object> stray) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(TestClients.MSGPACK.writeValueAsBytes(stray));
        frame.writeBytes("<EOF>".getBytes(StandardCharsets.US_ASCII));
        return ScriptedServer.start((connection, call, request) -> {
            ScriptedServer.Action answer = ScriptedServer.Action.reply(
                    List.of(Map.of("fname", "get_version", "data", "call " + call)));
            return call == 1 ? answer.thenStray(frame.toByteArray()) : answer;
        });
    }

    /** Two calls, each answered with its own reply. */
    private static void callTwice(HpxClient client) {
        assertThat(client.call("get_version").asText()).isEqualTo("call 1");
        assertThat(client.call("get_version").asText()).isEqualTo("call 2");
    }
}
