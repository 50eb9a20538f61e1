package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server-side API for restart, quit and raw broadcasts, and the API functions that do the same. */
class BroadcastTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.serverName("bc"));

    @Test
    void restartBroadcastsTwoWithEachConnectionsSessionAndKeepsThePort() {
        HpxTestServer server = hpx.server();
        int port = server.port();
        try (RawClient authed = RawClient.guest(server); RawClient bare = RawClient.welcomed(server)) {
            await().until(() -> server.openConnections() == 2);
            server.restart();
            assertThat(authed.readText()).isEqualTo("{\"session\": \"" + authed.session() + "\", \"name\": \"bc\", \"data\": 2}");
            assertThat(bare.readText()).isEqualTo("{\"session\": \"\", \"name\": \"bc\", \"data\": 2}");
            assertThat(authed.closedByServer()).isTrue();
            assertThat(bare.closedByServer()).isTrue();
        }
        await().until(() -> server.openConnections() == 0);
        assertThat(server.sessionIds()).isEmpty();
        assertThat(server.port()).isEqualTo(port);
        try (RawClient again = RawClient.guest(server)) {
            assertThat(again.session()).isNotEmpty();
        }
    }

    @Test
    void quitBroadcastsOneAndStopsListening() {
        HpxTestServer server = hpx.server();
        int port = server.port();
        try (RawClient authed = RawClient.guest(server)) {
            server.quit();
            assertThat(authed.readText()).isEqualTo("{\"session\": \"" + authed.session() + "\", \"name\": \"bc\", \"data\": 1}");
            assertThat(authed.closedByServer()).isTrue();
        }
        assertThat(Ports.refuses(server.host(), port)).isTrue();
    }

    @Test
    void aQuitServerCanBeStartedAgainOnTheSamePort() {
        HpxTestServer server = hpx.server();
        int port = server.port();
        server.quit();
        server.start();
        assertThat(server.port()).isEqualTo(port);
        try (RawClient c = RawClient.guest(server)) {
            assertThat(c.session()).hasSize(32);
        }
    }

    @Test
    void rawBroadcastReachesEveryConnectionWithoutClosingIt() {
        HpxTestServer server = hpx.server();
        try (RawClient authed = RawClient.guest(server); RawClient bare = RawClient.welcomed(server)) {
            await().until(() -> server.openConnections() == 2);
            server.broadcast("serverquit");
            assertThat(authed.readText()).isEqualTo("{\"session\": \"" + authed.session() + "\", \"name\": \"bc\", \"data\": \"serverquit\"}");
            assertThat(bare.readText()).isEqualTo("{\"session\": \"\", \"name\": \"bc\", \"data\": \"serverquit\"}");
            assertThat(Replies.result(authed.callOne("{\"fname\": \"get_version\"}"), 0, "get_version")).isNotNull();
        }
    }

    @Test
    void restartApplicationFunctionBroadcastsTwoInsteadOfReplying() {
        HpxTestServer server = hpx.server();
        try (RawClient caller = RawClient.guest(server); RawClient other = RawClient.guest(server)) {
            caller.writeJson("{\"session\": \"" + caller.session() + "\", \"name\": \"c\", \"data\": [{\"fname\": \"restart_application\"}]}");
            assertThat(caller.read().get("data").asInt()).isEqualTo(2);
            assertThat(other.read().get("data").asInt()).isEqualTo(2);
            assertThat(caller.closedByServer()).isTrue();
        }
        assertThat(server.isRunning()).isTrue();
        assertThat(server.sessionIds()).isEmpty();
    }

    @Test
    void shutdownApplicationFunctionBroadcastsOneAndStops() {
        HpxTestServer server = hpx.server();
        try (RawClient caller = RawClient.guest(server)) {
            caller.writeJson("{\"session\": \"" + caller.session() + "\", \"name\": \"c\", \"data\": [{\"fname\": \"shutdown_application\"}]}");
            assertThat(caller.read().get("data").asInt()).isEqualTo(1);
            assertThat(caller.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
    }
}
