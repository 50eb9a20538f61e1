package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions: sharing, reuse, and transparent recovery when the server loses them. */
class SessionRecoveryTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .guestsAllowed(false)
            .user("bob", "s3cret")
            .function(FunctionSpec.echo()));

    private HpxClient.Builder bob() {
        return TestClients.to(hpx.server()).credentials("bob", "s3cret");
    }

    private long handshakes() {
        return hpx.server().receivedMessages().stream().filter(m -> m.session().isEmpty()).count();
    }

    @Test
    void everyPooledConnectionSharesOneSession() {
        try (HpxClient client = bob().poolSize(4).build()) {
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 40)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i))))
                    .toList();
            calls.forEach(CompletableFuture::join);

            assertThat(handshakes()).isEqualTo(1);
            assertThat(hpx.server().receivedMessages().stream().map(ReceivedMessage::connectionId).distinct().count())
                    .isGreaterThan(1);
            assertThat(hpx.server().sessionIds()).containsExactly(client.sessionId());
        }
    }

    @Test
    void givenSessionIdIsUsedWithoutAHandshake() {
        try (HpxClient first = bob().build()) {
            String session = first.authenticate();
            hpx.server().clearReceivedMessages();

            try (HpxClient second = bob().sessionId(session).build()) {
                second.call("echo", Map.of("value", 1));

                assertThat(second.sessionId()).isEqualTo(session);
                assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::session).containsOnly(session);
            }
        }
    }

    @Test
    void unknownGivenSessionIdFallsBackToAHandshake() {
        try (HpxClient client = bob().sessionId("0123456789abcdef0123456789abcdef").build()) {
            assertThat(client.call("echo", Map.of("value", "ok")).asText()).isEqualTo("ok");
            assertThat(client.sessionId()).isNotEqualTo("0123456789abcdef0123456789abcdef").matches("[0-9a-f]{32}");
        }
    }

    @Test
    void expiredSessionIsRenewedAndTheCallRetriedOnce() {
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();
            hpx.server().expireSession(before);

            assertThat(client.call("echo", Map.of("value", "again")).asText()).isEqualTo("again");

            assertThat(client.sessionId()).isNotEqualTo(before);
            List<ReceivedMessage> log = hpx.server().receivedMessages();
            // handshake, the call that got 408, the new handshake with an empty session, the retried call
            assertThat(log).extracting(ReceivedMessage::session)
                    .containsExactly("", before, "", client.sessionId());
        }
    }

    @Test
    void slidingExpiryIsSurvived() {
        try (HpxTestServer server = HpxTestServer.builder().user("bob", "s3cret")
                .sessionSpan(Duration.ofMillis(200)).function(FunctionSpec.echo()).build().start();
             HpxClient client = TestClients.to(server).credentials("bob", "s3cret").build()) {
            String first = client.authenticate();
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.sessionIds().contains(first));

            assertThat(client.call("echo", Map.of("value", 3)).intValue()).isEqualTo(3);
            assertThat(client.sessionId()).isNotEqualTo(first);
        }
    }

    @Test
    void restartBetweenTwoCallsIsSurvived() {
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();
            hpx.server().restart();

            assertThat(client.call("echo", Map.of("value", "after restart")).asText()).isEqualTo("after restart");
            assertThat(client.sessionId()).isNotEqualTo(before);
            assertThat(hpx.server().sessionIds()).containsExactly(client.sessionId());
        }
    }

    @Test
    void requestAuthLogsInAgainWithANewSession() {
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();

            assertThat(client.sendCommand(ServerCommand.REQUEST_AUTH).has("version")).isTrue();

            assertThat(client.sessionId()).isNotEqualTo(before).matches("[0-9a-f]{32}");
            assertThat(client.call("echo", Map.of("value", 1)).intValue()).isEqualTo(1);
        }
    }

    @Test
    void wrongPasswordAfterALostSessionIsNotRetriedForever() {
        try (HpxClient client = bob().build()) {
            client.authenticate();
        }
        try (HpxClient client = TestClients.to(hpx.server()).credentials("bob", "bad")
                .sessionId("0123456789abcdef0123456789abcdef").build()) {
            assertThatThrownBy(() -> client.call("echo", Map.of("value", 1))).isInstanceOf(HpxWrongCredentialsException.class);
            assertThat(hpx.server().receivedMessages().size()).isLessThanOrEqualTo(4);
        }
    }
}
