package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.assertFunctionError;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;

/** NO_PIPELINING, STALE_VALIDATION_ERRORS and DEFAULT_USER_NULL_PASSWORD, each on and off. */
class QuirkTest {

    private static HpxTestServer server(Quirk quirk, boolean on) {
        return HpxTestServer.builder().function(FunctionSpec.echo()).defaultUserDisabled(true).quirk(quirk, on).build().start();
    }

    private static byte[] echoFrame(String session, String value) {
        String json = "{\"session\": \"" + session + "\", \"name\": \"t\", \"data\": [{\"fname\": \"echo\", \"value\": \"" + value + "\"}]}";
        byte[] gz = RawClient.gzip(json.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(gz);
        out.writeBytes("<EOF>".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String echoed(JsonNode reply) {
        return result(reply, 0, "echo").asText();
    }

    @Test
    void withNoPipeliningASecondFrameInTheSameReadWaitsForMoreBytes() {
        try (HpxTestServer server = server(Quirk.NO_PIPELINING, true); RawClient c = RawClient.guest(server)) {
            c.writeRaw(concat(echoFrame(c.session(), "a"), echoFrame(c.session(), "b")));
            assertThat(echoed(c.read())).isEqualTo("a");
            assertThat(c.silentFor(300)).as("b is stuck until more bytes arrive").isTrue();
            c.writeRaw(echoFrame(c.session(), "c"));
            assertThat(echoed(c.read())).isEqualTo("b");
            assertThat(c.silentFor(300)).as("now c is stuck").isTrue();
        }
    }

    @Test
    void withoutNoPipeliningEveryBufferedFrameIsAnswered() {
        try (HpxTestServer server = server(Quirk.NO_PIPELINING, false); RawClient c = RawClient.guest(server)) {
            c.writeRaw(concat(echoFrame(c.session(), "a"), echoFrame(c.session(), "b"), echoFrame(c.session(), "c")));
            assertThat(echoed(c.read())).isEqualTo("a");
            assertThat(echoed(c.read())).isEqualTo("b");
            assertThat(echoed(c.read())).isEqualTo("c");
        }
    }

    @Test
    void withStaleValidationErrorsTheNextSuccessfulReplyOnTheConnectionCarriesThem() {
        try (HpxTestServer server = server(Quirk.STALE_VALIDATION_ERRORS, true); RawClient c = RawClient.guest(server);
             RawClient other = RawClient.welcomed(server)) {
            assertServerError(c.call("[{\"fname\": \"nope\"}, {\"name\": \"get_version\"}]"), 403, "Function message missing 'fname' key");
            other.session(c.session());
            assertThat(other.call("[{\"fname\": \"get_version\"}]").get("data")).as("other connection is clean").hasSize(1);
            JsonNode next = c.call("[{\"fname\": \"get_version\"}]");
            assertThat(next.get("data")).hasSize(2);
            result(next, 0, "get_version");
            assertFunctionError(next, 1, "nope", 403, "Function not found: 'nope'");
            assertThat(c.call("[{\"fname\": \"get_version\"}]").get("data")).as("delivered once").hasSize(1);
        }
    }

    @Test
    void withoutStaleValidationErrorsAFailedBatchLeavesNothingBehind() {
        try (HpxTestServer server = server(Quirk.STALE_VALIDATION_ERRORS, false); RawClient c = RawClient.guest(server)) {
            assertServerError(c.call("[{\"fname\": \"nope\"}, {\"name\": \"get_version\"}]"), 403, "Function message missing 'fname' key");
            assertThat(c.call("[{\"fname\": \"get_version\"}]").get("data")).hasSize(1);
        }
    }

    @Test
    void withTheNullPasswordQuirkTheDisabledDefaultUserStillLogsInWithoutPassword() {
        try (HpxTestServer server = server(Quirk.DEFAULT_USER_NULL_PASSWORD, true); RawClient c = RawClient.welcomed(server)) {
            assertAuthenticated(c.send("", RawClient.parse("{\"user\": \"default\", \"password\": null}")));
            assertAuthenticated(c.send("", RawClient.parse("{\"user\": \"default\"}")));
            assertServerError(c.send("", RawClient.parse("{\"user\": \"default\", \"password\": \"x\"}")), 411, "Wrong credentials");
        }
    }

    @Test
    void withoutTheNullPasswordQuirkTheDisabledDefaultUserIsRefused() {
        try (HpxTestServer server = server(Quirk.DEFAULT_USER_NULL_PASSWORD, false); RawClient c = RawClient.welcomed(server)) {
            assertServerError(c.send("", RawClient.parse("{\"user\": \"default\", \"password\": null}")), 411, "Wrong credentials");
            assertServerError(c.send("", RawClient.parse("{\"user\": \"default\", \"password\": \"x\"}")), 411, "Wrong credentials");
        }
    }

    @Test
    void everyQuirkIsOnByDefaultAndWithoutQuirksSwitchesAllOff() {
        HpxTestServer defaults = HpxTestServer.builder().build();
        HpxTestServer none = HpxTestServer.builder().withoutQuirks().build();
        for (Quirk q : Quirk.values()) {
            assertThat(defaults.quirk(q)).as("%s by default", q).isTrue();
            assertThat(none.quirk(q)).as("%s without quirks", q).isFalse();
        }
    }
}
