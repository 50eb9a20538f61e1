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
    void aConnectionThatSwitchesSessionsReleasesTheOldOne() {
        try (HpxTestServer server = server(true); RawClient c = RawClient.guest(server)) {
            String first = c.session();
            c.handshake(RawClient.MAPPER.createObjectNode());
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.sessionIds().contains(first));
            assertThat(server.sessionIds()).containsExactly(c.session());
        }
    }
}
