package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G2 frames are one MessagePack value + {@code <EOF>}, and MessagePack strings are raw UTF-8: the client refuses
 * to send {@code <EOF>} (the server may cut there) and reads it intact in a reply (the value's headers, not the
 * first marker, end the frame).
 */
@Tag("g2")
class G2FramingTest {

    private static final String LONG = "x".repeat(70_000);
    /** What the server holds: titles with the marker at the start, the end, twice, across str8/16/32 headers. */
    private static final Map<String, Object> STORED = Map.of(
            "title", "Nights <EOF> Days",
            "edges", List.of("<EOF>", "ends with <EOF>", "<EOF><EOF>", "<EOF", "EOF>"),
            "<EOF>", "a key holding the marker",
            "medium", "m".repeat(300) + "<EOF>",
            "long", LONG + "<EOF>" + LONG);

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("stored").handler(call -> STORED))
            .function(FunctionSpec.of("title").handler(call -> "<EOF>")));

    private HpxClient client;

    @BeforeEach
    void connect() {
        client = TestClients.to(hpx.server()).poolSize(1).build();
        client.authenticate();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private void assertClientGoesOnOnTheSameConnection() {
        assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
        assertThat(client.openConnections()).isEqualTo(1);
        assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::connectionId).containsOnly(1L);
    }

    private boolean serverSawTheMarker() {
        return hpx.server().receivedMessages().stream().anyMatch(m -> m.root().toString().contains("<EOF>"));
    }

    @Test
    void markerInAStringArgumentIsRefusedBeforeAnythingIsSent() {
        HpxTestServer server = hpx.server();
        int before = server.receivedMessages().size();

        assertThatThrownBy(() -> client.call("echo", Map.of("value", "Nights <EOF> Days")))
                .isInstanceOfSatisfying(HpxProtocolException.class,
                        e -> assertThat(e).hasMessageContaining("<EOF>"));

        assertThat(server.receivedMessages()).hasSize(before);
        assertClientGoesOnOnTheSameConnection();
        assertThat(serverSawTheMarker()).isFalse();
    }

    @Test
    void markerAnywhereInTheRequestIsRefused() {
        HpxTestServer server = hpx.server();
        int before = server.receivedMessages().size();
        List<Runnable> requests = List.of(
                () -> client.call("echo", Map.of("value", Map.of("nested", List.of("ok", "<EOF>")))),
                () -> client.call("echo", Map.of("value", Map.of("<EOF>", 1))),
                () -> client.call("echo", Map.of("value", "<EOF>"), String.class),
                () -> client.callAll(List.of(FunctionCall.of("echo", Map.of("value", 1)),
                        FunctionCall.of("echo", Map.of("value", "x<EOF>")))),
                () -> client.callAllRaw(List.of(FunctionCall.of("echo", Map.of("value", "<EOF>")))));
        for (Runnable request : requests) {
            assertThatThrownBy(request::run).isInstanceOf(HpxProtocolException.class);
        }

        assertThat(server.receivedMessages()).hasSize(before);
        assertClientGoesOnOnTheSameConnection();
    }

    @Test
    void asynchronousCallWithTheMarkerFailsItsFutureAndFreesItsSlot() {
        HpxTestServer server = hpx.server();
        int before = server.receivedMessages().size();

        // more refusals than the connection has request slots: a refused request must give its slot back
        for (int i = 0; i < 40; i++) {
            var refused = client.executeAsync(HpxRequest.function("echo", Map.of("value", i + "<EOF>")));
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HpxProtocolException.class);
        }

        assertThat(server.receivedMessages()).hasSize(before);
        assertClientGoesOnOnTheSameConnection();
    }

    @Test
    void markerInTheCredentialsIsRefusedBeforeTheHandshakeIsSent() {
        HpxTestServer server = hpx.server();
        int before = server.receivedMessages().size();
        try (HpxClient marked = TestClients.to(server).credentials("bob", "pa<EOF>ss").build()) {
            assertThatThrownBy(marked::authenticate).isInstanceOf(HpxProtocolException.class);
        }
        assertThat(server.receivedMessages()).hasSize(before);
    }

    @Test
    void markerInsideReplyStringsArrivesIntact() throws Exception {
        JsonNode expected = new ObjectMapper().valueToTree(STORED);

        assertThat(client.call("title").asText()).isEqualTo("<EOF>");
        assertThat(client.call("stored")).isEqualTo(expected);
        assertThat(client.call("stored", Map.of(), Map.class)).isEqualTo(STORED);
        byte[] raw = client.callAllRaw(List.of(FunctionCall.of("stored", Map.of())));
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("Nights <EOF> Days");

        // the frames after them are still read from their start
        assertClientGoesOnOnTheSameConnection();
    }

    @Test
    void markerInReplyStringsSurvivesManyRepliesInFlight() {
        JsonNode expected = new ObjectMapper().valueToTree(STORED);
        var calls = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> i % 2 == 0
                        ? client.executeAsync(HpxRequest.function("stored", Map.of()))
                        : client.executeAsync(HpxRequest.function("echo", Map.of("value", "v" + i))))
                .toList();
        for (int i = 0; i < calls.size(); i++) {
            JsonNode result = calls.get(i).join();
            if (i % 2 == 0) {
                assertThat(result).isEqualTo(expected);
            } else {
                assertThat(result.asText()).isEqualTo("v" + i);
            }
        }
        assertThat(client.openConnections()).isLessThanOrEqualTo(1);
    }
}
