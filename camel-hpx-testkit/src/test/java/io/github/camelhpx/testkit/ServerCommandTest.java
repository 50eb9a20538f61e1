package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


import static org.assertj.core.api.Assertions.assertThat;

/** Server commands (§4) in every accepted form: exact name, integer, any case, JSON true. */
class ServerCommandTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.serverName("cmd_test_server"));

    @ParameterizedTest
    @ValueSource(strings = {"\"requestauth\"", "\"RequestAuth\"", "\"REQUESTAUTH\"", "3"})
    void requestAuthSendsTheWelcomeAgainAndKeepsTheOldSession(String command) {
        try (RawClient c = RawClient.guest(hpx.server())) {
            String welcome = sendAndReadText(c, c.session(), command);
            assertThat(welcome).isEqualTo("{\"session\": \"\", \"name\": \"cmd_test_server\", \"data\": {\"version\": "
                    + "{\"core\": [0, 3, 0], \"db\": [0, 2, 0], \"torrent\": [0, 0, 0]}, \"guest_allowed\": true}}");
            assertThat(Replies.result(c.callOne("{\"fname\": \"get_version\"}"), 0, "get_version")).isNotNull();
        }
    }

    @Test
    void requestAuthNeedsNoAuthentication() {
        try (RawClient c = RawClient.welcomed(hpx.server())) {
            JsonNode welcome = c.send("", RawClient.parse("\"requestauth\""));
            assertThat(welcome.path("data").has("guest_allowed")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"serverquit\"", "\"ServerQuit\"", "\"SERVERQUIT\"", "1", "true"})
    void serverQuitBroadcastsOneToEveryConnectionClosesThemAndStopsListening(String command) {
        HpxTestServer server = hpx.server();
        int port = server.port();
        try (RawClient authed = RawClient.guest(server); RawClient bare = RawClient.welcomed(server);
             RawClient sender = RawClient.welcomed(server)) {
            sender.writeJson("{\"session\": \"\", \"name\": \"c\", \"data\": " + command + "}");
            assertThat(authed.readText()).isEqualTo("{\"session\": \"" + authed.session() + "\", \"name\": \"cmd_test_server\", \"data\": 1}");
            assertThat(bare.readText()).isEqualTo("{\"session\": \"\", \"name\": \"cmd_test_server\", \"data\": 1}");
            assertThat(sender.read().get("data").asInt()).isEqualTo(1);
            assertThat(authed.closedByServer()).isTrue();
            assertThat(bare.closedByServer()).isTrue();
            assertThat(sender.closedByServer()).isTrue();
        }
        assertThat(Ports.refuses(server.host(), port)).isTrue();
        assertThat(server.isRunning()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"serverrestart\"", "\"ServerRestart\"", "\"SERVERRESTART\"", "2"})
    void serverRestartBroadcastsTwoClosesAllForgetsSessionsAndKeepsListening(String command) {
        HpxTestServer server = hpx.server();
        String oldSession;
        try (RawClient authed = RawClient.guest(server); RawClient sender = RawClient.welcomed(server)) {
            oldSession = authed.session();
            sender.writeJson("{\"session\": \"\", \"name\": \"c\", \"data\": " + command + "}");
            assertThat(authed.readText()).isEqualTo("{\"session\": \"" + oldSession + "\", \"name\": \"cmd_test_server\", \"data\": 2}");
            assertThat(sender.read().get("data").asInt()).isEqualTo(2);
            assertThat(authed.closedByServer()).isTrue();
        }
        assertThat(server.sessionIds()).isEmpty();
        try (RawClient again = RawClient.welcomed(server)) {
            Replies.assertAuthenticated(again.send(oldSession, RawClient.parse("[{\"fname\": \"get_version\"}]")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"hello\"", "4", "0", "false", "1.0", "{}"})
    void otherDataInAnAcceptedMessageIsNoFunctionList(String data) {
        try (RawClient c = RawClient.guest(hpx.server())) {
            Replies.assertServerError(c.send(c.session(), RawClient.parse(data)), 403,
                    "No list of function objects found in 'data'");
        }
    }

    @Test
    void serverCommandsWorkWithoutAnySession() {
        try (RawClient c = RawClient.welcomed(hpx.server())) {
            c.writeJson("{\"session\": \"\", \"name\": \"c\", \"data\": \"serverrestart\"}");
            assertThat(c.read().get("data").asInt()).isEqualTo(2);
        }
    }

    private static String sendAndReadText(RawClient c, String session, String dataJson) {
        c.writeJson("{\"session\": \"" + session + "\", \"name\": \"c\", \"data\": " + dataJson + "}");
        return c.readText();
    }
}
