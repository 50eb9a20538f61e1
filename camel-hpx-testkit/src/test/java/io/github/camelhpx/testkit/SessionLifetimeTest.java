package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sessions shared across connections, and the quirk SESSION_DIES_WITH_LAST_CONNECTION (on and off). */
class SessionLifetimeTest {

    private static final String GET_VERSION = "[{\"fname\": \"get_version\"}]";

    private static HpxTestServer server(boolean diesWithLastConnection) {
        return HpxTestServer.builder().quirk(Quirk.SESSION_DIES_WITH_LAST_CONNECTION, diesWithLastConnection).build().start();
    }

    @Test
    void aSessionIsSharedByConnectionsAndOutlivesTheOneThatCreatedIt() {
        try (HpxTestServer server = server(true); RawClient second = RawClient.welcomed(server)) {
            String id;
            try (RawClient first = RawClient.guest(server)) {
                id = first.session();
                second.session(id);
                assertThat(second.call(GET_VERSION).get("session").asText()).isEqualTo(id);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
            result(second.call(GET_VERSION), 0, "get_version");
            assertThat(server.sessionIds()).containsExactly(id);
        }
    }

    @Test
    void withTheQuirkASessionDiesWithItsLastConnection() {
        try (HpxTestServer server = server(true)) {
            String id;
            try (RawClient first = RawClient.guest(server)) {
                id = first.session();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionIds().isEmpty());
            try (RawClient again = RawClient.welcomed(server)) {
                // the old id is known but dead: the message is a handshake, and the call is not run
                var reply = again.send(id, RawClient.parse(GET_VERSION));
                assertAuthenticated(reply);
                assertThat(reply.get("session").asText()).isNotEqualTo(id);
            }
        }
    }

    @Test
    void withoutTheQuirkASessionOutlivesAllItsConnections() {
        try (HpxTestServer server = server(false)) {
            String id;
            try (RawClient first = RawClient.guest(server)) {
                id = first.session();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
            assertThat(server.sessionIds()).containsExactly(id);
            try (RawClient again = RawClient.welcomed(server)) {
                again.session(id);
                result(again.call(GET_VERSION), 0, "get_version");
            }
        }
    }

    @Test
    void aConnectionThatSwitchesToAnotherSessionIdReleasesTheOldOne() {
        // server.py _check_session: a valid id makes "self.context = self.contexts[session.id]", so the
        // connection stops holding its old context, and with no other holder that context (and its id) dies
        try (HpxTestServer server = server(true); RawClient c = RawClient.guest(server); RawClient other = RawClient.guest(server)) {
            String first = c.session();
            c.session(other.session());
            result(c.call(GET_VERSION), 0, "get_version");
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.sessionIds().contains(first));
            assertThat(server.sessionIds()).containsExactly(other.session());
        }
    }

    // server.py (0.3.0): requestauth only sends the welcome again; the handler keeps self.context, the old
    // session's context. A handshake on that connection then runs get_context() on that same dict (user and name
    // replaced, config reset) and registers it under the new id too: "self.contexts[self.session.id] = self.context".
    // The old id stays valid on this very connection, and both ids share one context.
    @Test
    void afterRequestAuthAReLoginOnTheSameConnectionKeepsTheOldIdAliveAndSharesItsContext() {
        try (HpxTestServer server = HpxTestServer.builder()
                .function(FunctionSpec.of("whoami").handler(call -> call.clientName()))
                .build().start();
             RawClient c = RawClient.guest(server)) {
            String old = c.session();
            assertThat(c.send(old, RawClient.parse("\"requestauth\"")).path("data").has("guest_allowed")).isTrue();
            c.writeJson("{\"session\": \"\", \"name\": \"second-login\", \"data\": {}}");
            var login = c.read();
            assertAuthenticated(login);
            String fresh = login.get("session").asText();
            assertThat(fresh).isNotEqualTo(old);

            // the old id still calls functions (no handshake), and it now belongs to the second login
            c.session(old);
            assertThat(result(c.call("[{\"fname\": \"whoami\"}]"), 0, "whoami").asText()).isEqualTo("second-login");
            assertThat(server.sessionIds()).containsExactlyInAnyOrder(old, fresh);

            // one context: a notification queued for the old id is pulled through the new one
            server.pushNotification(old, "t", "b");
            c.session(fresh);
            assertThat(result(c.call("[{\"fname\": \"get_notification\"}]"), 0, "get_notification").path("title").asText())
                    .isEqualTo("t");
            c.session(old);
            assertThat(result(c.call("[{\"fname\": \"get_notification\"}]"), 0, "get_notification").isNull()).isTrue();
        }
    }

    @Test
    void sessionsSharingAContextDieTogetherWithTheirLastConnection() {
        try (HpxTestServer server = server(true)) {
            String old;
            String fresh;
            try (RawClient c = RawClient.guest(server)) {
                old = c.session();
                c.handshake(RawClient.MAPPER.createObjectNode());
                fresh = c.session();
                assertThat(server.sessionIds()).containsExactlyInAnyOrder(old, fresh);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.sessionIds().isEmpty());
        }
    }
}
