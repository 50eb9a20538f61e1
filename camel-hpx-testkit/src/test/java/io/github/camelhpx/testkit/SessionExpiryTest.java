package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sliding session expiry, the 408 answer and the quirk EXPIRED_ID_POISONS_HANDSHAKE (on and off). */
class SessionExpiryTest {

    private static final String GET_VERSION = "[{\"fname\": \"get_version\"}]";

    private static HpxTestServer server(Duration span, boolean poison) {
        return HpxTestServer.builder().sessionSpan(span).quirk(Quirk.EXPIRED_ID_POISONS_HANDSHAKE, poison).build().start();
    }

    private static boolean callWorks(RawClient c) {
        return c.call(GET_VERSION).path("data").isArray();
    }

    @Test
    void everyUseExtendsTheSession() {
        try (HpxTestServer server = server(Duration.ofSeconds(2), true); RawClient c = RawClient.guest(server)) {
            // polling every 100 ms keeps a 2 s session alive for three times its span (a span that a stalled poller
            // on a busy machine does not outlast)
            await().pollInterval(Duration.ofMillis(100)).during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(12))
                    .until(() -> callWorks(c));
            assertThat(server.sessionIds()).contains(c.session());
        }
    }

    @Test
    void anIdleSessionExpiresAndAnswers408OnEveryConnection() {
        try (HpxTestServer server = server(Duration.ofMillis(200), true); RawClient c = RawClient.guest(server);
             RawClient other = RawClient.welcomed(server)) {
            String id = c.session();
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.sessionIds().contains(id));
            JsonNode reply = c.call(GET_VERSION);
            assertServerError(reply, 408, "Session '" + id + "' has expired");
            assertThat(reply.get("session").asText()).isEqualTo(id);
            assertServerError(other.send(id, RawClient.parse(GET_VERSION)), 408, "Session '" + id + "' has expired");
            assertServerError(c.call(GET_VERSION), 408, "Session '" + id + "' has expired");
        }
    }

    @Test
    void aZeroSpanNeverExpires() {
        try (HpxTestServer server = server(Duration.ZERO, true); RawClient c = RawClient.guest(server)) {
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.sessionIds().contains(c.session()));
            assertThat(callWorks(c)).isTrue();
        }
    }

    @Test
    void expireSessionForcesTheExpiryNow() {
        try (HpxTestServer server = server(Duration.ZERO, true); RawClient c = RawClient.guest(server)) {
            server.expireSession(c.session());
            assertThat(server.sessionIds()).doesNotContain(c.session());
            assertServerError(c.call(GET_VERSION), 408, "Session '" + c.session() + "' has expired");
        }
    }

    @Test
    void withThePoisonQuirkAHandshakeOrRequestAuthCarryingTheExpiredIdGets408() {
        try (HpxTestServer server = server(Duration.ZERO, true); RawClient c = RawClient.guest(server)) {
            String id = c.session();
            server.expireSession(id);
            assertServerError(c.send(id, RawClient.MAPPER.createObjectNode()), 408, "Session '" + id + "' has expired");
            assertServerError(c.send(id, RawClient.parse("\"requestauth\"")), 408, "Session '" + id + "' has expired");
            JsonNode fresh = c.send("", RawClient.MAPPER.createObjectNode());
            assertAuthenticated(fresh);
            assertThat(fresh.get("session").asText()).isNotEqualTo(id);
            assertServerError(c.send(id, RawClient.parse(GET_VERSION)), 408, "Session '" + id + "' has expired");
        }
    }

    @Test
    void withoutThePoisonQuirkAHandshakeOrRequestAuthWithTheExpiredIdWorks() {
        try (HpxTestServer server = server(Duration.ZERO, false); RawClient c = RawClient.guest(server)) {
            String id = c.session();
            server.expireSession(id);
            assertThat(c.send(id, RawClient.parse("\"requestauth\"")).path("data").has("guest_allowed")).isTrue();
            JsonNode again = c.send(id, RawClient.MAPPER.createObjectNode());
            assertAuthenticated(again);
            assertThat(again.get("session").asText()).isNotEqualTo(id);
            assertServerError(c.send(id, RawClient.parse(GET_VERSION)), 408, "Session '" + id + "' has expired");
        }
    }
}
