package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;

/** Every row of the handshake table (§3), on a guest server and on one that requires users. */
class HandshakeTest {

    @RegisterExtension
    static HpxTestServerExtension guests = HpxTestServerExtension.create(b -> b.user("bob", "secret"));

    @RegisterExtension
    static HpxTestServerExtension members = HpxTestServerExtension.create(b -> b.guestsAllowed(false).user("bob", "secret"));

    private static JsonNode handshake(HpxTestServerExtension hpx, String dataJson) {
        try (RawClient c = RawClient.welcomed(hpx.server())) {
            return c.send("", RawClient.parse(dataJson));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"user\": \"\", \"password\": \"\"}", "null", "{\"user\": null, \"password\": null}", "[]"})
    void guestServerAcceptsNoOrEmptyCredentialsAsGuest(String data) {
        try (RawClient c = RawClient.welcomed(guests.server())) {
            JsonNode reply = c.send("", RawClient.parse(data));
            assertAuthenticated(reply);
            assertThat(reply.size()).isEqualTo(3);
            assertThat(guests.server().sessionIds()).contains(reply.get("session").asText());
        }
    }

    @Test
    void userWithRightPasswordIsAuthenticated() {
        assertAuthenticated(handshake(members, "{\"user\": \"bob\", \"password\": \"secret\"}"));
        assertAuthenticated(handshake(guests, "{\"user\": \"bob\", \"password\": \"secret\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|JSON dict missing 'user' key",
        "{\"user\": \"bob\"}|JSON dict missing 'password' key",
        "{\"password\": \"secret\"}|JSON dict missing 'user' key",
        "{\"user\": \"bob\", \"password\": \"secret\", \"x\": 1}|JSON dict contains unknown key 'x'",
        "null|A list/dict was expected, not: None",
        "\"hello\"|A list/dict was expected, not: hello",
        "5.5|A list/dict was expected, not: 5.5",
        "[\"user\", \"password\", 7]|JSON dict contains unknown key '7'"})
    void serverWithoutGuestsAnswers412ForMalformedCredentials(String data, String msg) {
        assertServerError(handshake(members, data), 412, msg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"user\": \"\", \"password\": \"\"}", "{\"user\": null, \"password\": null}"})
    void serverWithoutGuestsAnswers407ForEmptyCredentials(String data) {
        assertServerError(handshake(members, data), 407, "Authentication is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"user\": \"bob\", \"password\": \"wrong\"}", "{\"user\": \"alice\", \"password\": \"secret\"}",
        "{\"user\": \"bob\", \"password\": null}", "{\"user\": \"\", \"password\": \"secret\"}"})
    void wrongCredentialsAnswer411OnBothServers(String data) {
        assertServerError(handshake(members, data), 411, "Wrong credentials");
        assertServerError(handshake(guests, data), 411, "Wrong credentials");
    }

    @Test
    void defaultUserLogsInWithAnyPassword() {
        assertAuthenticated(handshake(members, "{\"user\": \"default\", \"password\": \"whatever\"}"));
        assertAuthenticated(handshake(guests, "{\"user\": \"default\", \"password\": \"\"}"));
    }

    @Test
    void errorRepliesCarryTheEmptySessionOfAFreshConnection() {
        JsonNode reply = handshake(members, "{}");
        assertThat(reply.get("session").asText()).isEmpty();
        assertThat(reply.get("name").asText()).isEqualTo(members.server().serverName());
    }

    @Test
    void functionCallsWithoutSessionOnAGuestServerAreAHandshakeAndAreNotRun() {
        try (RawClient c = RawClient.welcomed(guests.server())) {
            JsonNode reply = c.send("", RawClient.parse("[{\"fname\": \"get_version\"}]"));
            assertAuthenticated(reply);
        }
    }

    @Test
    void functionCallsWithoutSessionOnAServerWithoutGuestsGet412() {
        try (RawClient c = RawClient.welcomed(members.server())) {
            assertServerError(c.send("", RawClient.parse("[{\"fname\": \"get_version\"}]")), 412,
                    "JSON dict missing 'user' key");
        }
    }

    @Test
    void unknownSessionIdIsTreatedAsAHandshake() {
        try (RawClient c = RawClient.welcomed(guests.server())) {
            JsonNode reply = c.send("0123456789abcdef0123456789abcdef", RawClient.parse("[{\"fname\": \"get_version\"}]"));
            assertAuthenticated(reply);
            assertThat(reply.get("session").asText()).isNotEqualTo("0123456789abcdef0123456789abcdef");
        }
    }

    @Test
    void theHandshakeRecordsTheClientNameAsSessionOwner() {
        try (RawClient c = RawClient.guest(guests.server())) {
            JsonNode owner = c.callOne("{\"fname\": \"get_config\", \"cfg\": {\"this.nothing\": 1}}");
            assertThat(Replies.result(owner, 0, "get_config").get("this.nothing").asInt()).isEqualTo(1);
            assertThat(guests.server().receivedMessages()).anySatisfy(m -> assertThat(m.name()).isEqualTo("test-client"));
        }
    }
}
