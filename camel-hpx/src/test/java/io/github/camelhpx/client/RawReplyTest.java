package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reply handed over as the server's frame (G1: its JSON, G2: its MessagePack), with the client still in charge
 * of sessions and broadcasts.
 */
class RawReplyTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(RawReplyTest::configure);

    private static void configure(HpxTestServer.Builder b) {
        b.serverName("raw-test").function(FunctionSpec.echo());
    }

    private JsonNode read(byte[] reply) throws Exception {
        return TestClients.rawMapper(hpx.server()).readTree(reply);
    }

    private static List<FunctionCall> echo(Object value) {
        return List.of(FunctionCall.of("echo", Map.of("value", value)));
    }

    @Test
    @Tag("g1")
    void replyIsTheJsonTheServerSentByteForByte() {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            byte[] reply = client.callAllRaw(echo("grüße"));

            // Python's json.dumps: spaces after separators and non-ASCII escaped, which no Java writer produces.
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("{\"session\": \"" + client.sessionId()
                    + "\", \"name\": \"raw-test\", \"data\": [{\"fname\": \"echo\", \"data\": \"gr\\u00fc\\u00dfe\"}]}");
        }
    }

    @Test
    @Tag("g2")
    void g2ReplyIsTheMessagePackTheServerSent() throws Exception {
        try (HpxTestServer g2 = TestClients.startG2(RawReplyTest::configure);
             HpxClient client = TestClients.to(g2).build()) {
            byte[] reply = client.callAllRaw(echo("grüße"));

            // The whole frame but its <EOF>: one MessagePack map, __id__ first, strings as raw UTF-8.
            JsonNode root = TestClients.MSGPACK.readTree(reply);
            assertThat(reply[0] & 0xF0).isEqualTo(0x80);
            assertThat(root.fieldNames()).toIterable().containsExactly("__id__", "session", "name", "data");
            assertThat(root.get("__id__").isIntegralNumber() || root.get("__id__").isTextual()).isTrue();
            assertThat(root.get("session").asText()).isEqualTo(client.sessionId());
            assertThat(root.get("name").asText()).isEqualTo("raw-test");
            assertThat(root.get("data").toString()).isEqualTo("[{\"fname\":\"echo\",\"data\":\"grüße\"}]");
            assertThat(new String(reply, StandardCharsets.UTF_8)).contains("grüße").doesNotContain("<EOF>");
            assertThat(g2.receivedMessages()).last().extracting(m -> m.data().toString())
                    .isEqualTo("[{\"fname\":\"echo\",\"value\":\"grüße\"}]");
        }
    }

    @Test
    void functionErrorsStayInTheReply() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            byte[] reply = client.callAllRaw(List.of(FunctionCall.of("get_item", Map.of("item_id", 0)),
                    FunctionCall.of("echo", Map.of("value", 5))));

            JsonNode data = read(reply).get("data");
            assertThat(data.get(0).get("error").get("code").intValue()).isEqualTo(404);
            assertThat(data.get(1).get("data").intValue()).isEqualTo(5);
        }
    }

    @Test
    void aReplyWhoseDataIsNoListOfResultsIsAProtocolErrorEvenWhenItIsBinary() {
        // G2 sends the bytes as MessagePack binary, which must not pass for the raw message; G1 as base64 text.
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) ->
                ScriptedServer.Action.reply(new byte[] {1, 2, 3}));
             HpxClient client = HpxClient.builder().host(server.host()).port(server.port())
                     .requestTimeout(Duration.ofSeconds(5)).poolSize(1).build()) {
            assertThatThrownBy(() -> client.callAllRaw(echo("x"))).isInstanceOf(HpxProtocolException.class)
                    .hasMessageContaining("not a list of function results");
        }
    }

    @Test
    void expiredSessionIsRenewedAndTheCallRetried() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            String before = client.authenticate();
            hpx.server().expireSession(before);

            byte[] reply = client.callAllRaw(echo("again"));

            assertThat(read(reply).get("session").asText()).isEqualTo(client.sessionId()).isNotEqualTo(before);
            assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::session)
                    .containsExactly("", before, "", client.sessionId());
        }
    }

    @Test
    void broadcastArrivingWhileARawCallWaitsGoesToTheListener() throws Exception {
        List<Broadcast> received = new CopyOnWriteArrayList<>();
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(received::add);

            byte[] reply = TestClients.callWhileBroadcasting(hpx.server(), client,
                    () -> client.executeAsync(HpxRequest.batch(echo("mine")).raw()), "serverquit");

            assertThat(read(reply).get("data").get(0).get("data").asText()).isEqualTo("mine");
            assertThat(received).singleElement().extracting(Broadcast::command).isEqualTo(ServerCommand.SERVER_QUIT);
        }
    }
}
