package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every G2 command and root-level error of §9.3, with exact codes, over real sockets. */
class G2CommandTest {

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2).user("bob", "secret"));

    private static JsonNode json(String text) {
        return RawClient.parse(text);
    }

    /** A root error: the id echoed (or absent when null), root data nil, the exact error. */
    static void assertRootError(JsonNode reply, Object id, int code, String msg) {
        if (id == null) {
            assertThat(reply.has("__id__")).as("no __id__ in %s", reply).isFalse();
        } else {
            assertThat(reply.get("__id__")).as("__id__ of %s", reply).isEqualTo(RawClient.MAPPER.valueToTree(id));
        }
        assertThat(reply.get("data").isNull()).as("data nil in %s", reply).isTrue();
        assertThat(reply.path("error").path("code").asInt()).as("code in %s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("msg").asText()).isEqualTo(msg);
    }

    @Test
    void guestHandshakeGivesASessionInTheRootAndTheIdBack() {
        try (G2RawClient c = G2RawClient.welcomed(hpx.server())) {
            JsonNode reply = c.request("handshake", "", json("{}"));
            assertThat(reply.path("data").asText()).isEqualTo("Authenticated");
            assertThat(reply.path("session").asText()).matches("[0-9a-f]{32}");
            assertThat(reply.path("name").asText()).isEqualTo(hpx.server().serverName());
            assertThat(reply.has("error")).isFalse();
        }
    }

    @Test
    void handshakeFailuresUseTheG1Codes() {
        try (G2RawClient c = G2RawClient.welcomed(hpx.server())) {
            String id = c.nextId();
            c.send(G2RawClient.message(id, "handshake", "", json("{\"user\": \"bob\", \"password\": \"wrong\"}")));
            assertRootError(c.read(), id, 411, "Wrong credentials");
            c.handshake(json("{\"user\": \"bob\", \"password\": \"secret\"}"));
        }
    }

    @Test
    void withoutGuestsEmptyCredentialsAre407AndMalformedOnes412() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).guestsAllowed(false).build().start();
             G2RawClient c = G2RawClient.welcomed(server)) {
            c.send(G2RawClient.message(1, "handshake", "", json("{\"user\": \"\", \"password\": \"\"}")));
            assertRootError(c.read(), 1, 407, "Authentication is required");
            c.send(G2RawClient.message(2, "handshake", "", json("{\"user\": \"x\"}")));
            assertRootError(c.read(), 2, 412, "JSON dict missing 'password' key");
        }
    }

    @Test
    void idsComeBackVerbatimAsStringsOrIntegers() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            for (Object id : new Object[] {"x", 0, 7, -3, 300, 70_000, 5_000_000_000L, "é<EOF>"}) {
                c.send(G2RawClient.message(id, "call", c.session(), json("[{\"fname\": \"get_version\"}]")));
                assertThat(c.read().get("__id__")).isEqualTo(RawClient.MAPPER.valueToTree(id));
            }
        }
    }

    @Test
    void aMissingOrUnusableIdIsA403WithoutId() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            ObjectNode noId = G2RawClient.message("x", "call", c.session(), json("[]"));
            noId.remove("__id__");
            c.send(noId);
            assertRootError(c.read(), null, 403, "JSON dict missing '__id__' key");
            ObjectNode nilId = G2RawClient.message("x", "call", c.session(), json("[]"));
            nilId.putNull("__id__");
            c.send(nilId);
            assertRootError(c.read(), null, 403, "JSON dict missing '__id__' key");
            c.send(G2RawClient.message(true, "call", c.session(), json("[]")));
            assertRootError(c.read(), null, 403, "Invalid '__id__' (a string or an integer is required): True");
            c.send(G2RawClient.message(1.5, "call", c.session(), json("[]")));
            assertRootError(c.read(), null, 403, "Invalid '__id__' (a string or an integer is required): 1.5");
        }
    }

    @Test
    void rootKeyErrorsEchoTheId() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            for (String key : new String[] {"command", "session", "name"}) {
                ObjectNode m = G2RawClient.message(key, "call", c.session(), json("[]"));
                m.remove(key);
                c.send(m);
                assertRootError(c.read(), key, 403, "JSON dict missing '" + key + "' key");
            }
            ObjectNode extra = G2RawClient.message("extra", "call", c.session(), json("[]"));
            extra.put("x", 1);
            c.send(extra);
            assertRootError(c.read(), "extra", 403, "JSON dict contains unknown key 'x'");
            c.send(G2RawClient.message("unknown", "frobnicate", c.session(), json("[]")));
            assertRootError(c.read(), "unknown", 403, "Unknown command: 'frobnicate'");
            ObjectNode numeric = G2RawClient.message("numeric", "x", c.session(), json("[]"));
            numeric.put("command", 2);
            c.send(numeric);
            assertRootError(c.read(), "numeric", 403, "Unknown command: '2'");
            c.send(json("[1, 2]"));
            assertRootError(c.read(), null, 403, "A dict was expected, not: [1, 2]");
        }
    }

    @Test
    void aCallWithoutAUsableSessionIs407AndAnExpiredOne408() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            c.send(G2RawClient.message(1, "call", "", json("[{\"fname\": \"get_version\"}]")));
            assertRootError(c.read(), 1, 407, "Authentication is required");
            c.send(G2RawClient.message(2, "call", "0123456789abcdef0123456789abcdef", json("[{\"fname\": \"get_version\"}]")));
            assertRootError(c.read(), 2, 407, "Authentication is required");
            hpx.server().expireSession(c.session());
            c.send(G2RawClient.message(3, "call", c.session(), json("[{\"fname\": \"get_version\"}]")));
            assertRootError(c.read(), 3, 408, "Session '" + c.session() + "' has expired");
        }
    }

    @Test
    void callDataMustBeAListAndEveryElementNeedsAnFname() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            c.send(G2RawClient.message(1, "call", c.session(), json("{\"fname\": \"get_version\"}")));
            assertRootError(c.read(), 1, 403, "No list of function objects found in 'data'");
            c.send(G2RawClient.message(2, "call", c.session(), json("[{\"fname\": \"get_version\"}, {\"x\": 1}]")));
            assertRootError(c.read(), 2, 403, "Function message missing 'fname' key");
        }
    }

    @Test
    void resultsComeOnePerCallInRequestOrderValidationFailuresInPlace() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            JsonNode reply = c.call("[{\"fname\": \"nope\"}, {\"fname\": \"get_version\"},"
                    + " {\"fname\": \"get_count\", \"bogus\": 1}, {\"fname\": \"get_item\", \"item_id\": 0},"
                    + " {\"fname\": \"get_command_state\"}, {\"fname\": \"get_count\"}]");
            JsonNode data = reply.get("data");
            assertThat(data).hasSize(6);
            assertFunctionError(data.get(0), "nope", 403, "Function not found: 'nope'");
            assertThat(data.get(1).path("data").path("core").toString()).isEqualTo("[1,0,0]");
            assertFunctionError(data.get(2), "get_count", 403, "Unexpected argument in function 'get_count': 'bogus'");
            assertFunctionError(data.get(3), "get_item", 404, "A valid item id is required, not 0");
            assertFunctionError(data.get(4), "get_command_state", 403,
                    "Missing a required argument in function 'get_command_state': 'command_ids'");
            assertThat(data.get(5).path("data").path("count").asInt()).isEqualTo(25);
            assertThat(reply.path("session").asText()).isEqualTo(c.session());
        }
    }

    static void assertFunctionError(JsonNode f, String fname, int code, String msg) {
        assertThat(f.path("fname").asText()).as("fname of %s", f).isEqualTo(fname);
        assertThat(f.get("data").isNull()).as("data nil in %s", f).isTrue();
        assertThat(f.path("error").path("code").asInt()).as("code in %s", f).isEqualTo(code);
        assertThat(f.path("error").path("msg").asText()).isEqualTo(msg);
    }

    @Test
    void requestauthAnswersTheServerInfoAndKeepsTheOldSession() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            JsonNode reply = c.request("requestauth", "", null);
            assertThat(reply.path("session").asText()).isEmpty();
            assertThat(reply.path("data").path("guest_allowed").asBoolean()).isTrue();
            assertThat(reply.path("data").path("version").path("core").toString()).isEqualTo("[1,0,0]");
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }

    @Test
    void dropauthLogsOutTheSessionEverywhere() {
        try (G2RawClient c = G2RawClient.guest(hpx.server());
             G2RawClient other = G2RawClient.welcomed(hpx.server())) {
            other.session(c.session());
            assertThat(other.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
            JsonNode reply = c.request("dropauth", c.session(), null);
            assertThat(reply.path("data").has("version")).isTrue();
            assertThat(reply.path("session").asText()).isEmpty();
            assertThat(hpx.server().sessionIds()).doesNotContain(c.session());
            other.send(G2RawClient.message(9, "call", c.session(), json("[{\"fname\": \"get_version\"}]")));
            assertRootError(other.read(), 9, 407, "Authentication is required");
        }
    }

    @Test
    void serverquitAnswersOkThenBroadcastsAndGoesAway() {
        HpxTestServer server = hpx.server();
        try (G2RawClient c = G2RawClient.guest(server); G2RawClient bystander = G2RawClient.guest(server)) {
            JsonNode ok = c.request("serverquit", c.session(), null);
            assertThat(ok.path("data").asText()).isEqualTo("ok");
            JsonNode broadcast = c.read();
            assertThat(broadcast.has("__id__")).isFalse();
            assertThat(broadcast.path("data").asInt()).isEqualTo(1);
            assertThat(bystander.read().path("data").asInt()).isEqualTo(1);
            assertThat(c.closedByServer()).isTrue();
            assertThat(bystander.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !server.isRunning());
    }

    @Test
    void serverrestartAnswersOkThenDropsEverySession() {
        HpxTestServer server = hpx.server();
        String old;
        try (G2RawClient c = G2RawClient.guest(server)) {
            old = c.session();
            assertThat(c.request("serverrestart", old, null).path("data").asText()).isEqualTo("ok");
            JsonNode broadcast = c.read();
            assertThat(broadcast.has("__id__")).isFalse();
            assertThat(broadcast.path("data").asInt()).isEqualTo(2);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.isRunning()).isTrue();
        try (G2RawClient c = G2RawClient.welcomed(server)) {
            c.send(G2RawClient.message(1, "call", old, json("[{\"fname\": \"get_version\"}]")));
            assertRootError(c.read(), 1, 407, "Authentication is required");
        }
    }

    @Test
    void anAbsentDataMeansNilAndReceivedMessagesKeepWhatWasSent() {
        try (G2RawClient c = G2RawClient.welcomed(hpx.server())) {
            ObjectNode m = G2RawClient.message("no-data", "requestauth", "", null);
            m.remove("data");
            c.send(m);
            assertThat(c.read().path("data").has("guest_allowed")).isTrue();
            ReceivedMessage last = hpx.server().receivedMessages().get(hpx.server().receivedMessages().size() - 1);
            assertThat(last.root().has("data")).isFalse();
            assertThat(last.root().path("__id__").asText()).isEqualTo("no-data");
        }
    }
}
