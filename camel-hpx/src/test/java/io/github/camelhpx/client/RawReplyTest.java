package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reply handed over as the server's JSON, with the client still in charge of sessions and broadcasts. */
class RawReplyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .serverName("raw-test").function(FunctionSpec.echo()));

    private static List<FunctionCall> echo(Object value) {
        return List.of(FunctionCall.of("echo", Map.of("value", value)));
    }

    @Test
    void replyIsTheJsonTheServerSentByteForByte() {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            byte[] reply = client.callAllRaw(echo("grüße"));

            // Python's json.dumps: spaces after separators and non-ASCII escaped, which no Java writer produces.
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("{\"session\": \"" + client.sessionId()
                    + "\", \"name\": \"raw-test\", \"data\": [{\"fname\": \"echo\", \"data\": \"gr\\u00fc\\u00dfe\"}]}");
        }
    }

    @Test
    void functionErrorsStayInTheReply() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            byte[] reply = client.callAllRaw(List.of(FunctionCall.of("get_item", Map.of("item_id", 0)),
                    FunctionCall.of("echo", Map.of("value", 5))));

            JsonNode data = MAPPER.readTree(reply).get("data");
            assertThat(data.get(0).get("error").get("code").intValue()).isEqualTo(404);
            assertThat(data.get(1).get("data").intValue()).isEqualTo(5);
        }
    }

    @Test
    void expiredSessionIsRenewedAndTheCallRetried() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            String before = client.authenticate();
            hpx.server().expireSession(before);

            byte[] reply = client.callAllRaw(echo("again"));

            assertThat(MAPPER.readTree(reply).get("session").asText()).isEqualTo(client.sessionId()).isNotEqualTo(before);
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

            assertThat(MAPPER.readTree(reply).get("data").get(0).get("data").asText()).isEqualTo("mine");
            assertThat(received).singleElement().extracting(Broadcast::command).isEqualTo(ServerCommand.SERVER_QUIT);
        }
    }
}
