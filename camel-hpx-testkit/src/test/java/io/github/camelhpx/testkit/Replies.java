package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on reply shapes shared by the tests. */
final class Replies {

    private Replies() {
    }

    /** A server-level error: root data null and the exact error object. */
    static void assertServerError(JsonNode reply, int code, String msg) {
        assertThat(reply.has("data")).as("reply has data: %s", reply).isTrue();
        assertThat(reply.get("data").isNull()).as("data is null in %s", reply).isTrue();
        assertThat(reply.path("error").path("code").asInt()).as("code in %s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("msg").asText()).isEqualTo(msg);
        assertThat(reply.size()).isEqualTo(4);
    }

    /** The function-data object at {@code index} is an error with that code and text. */
    static void assertFunctionError(JsonNode reply, int index, String fname, int code, String msg) {
        JsonNode f = reply.path("data").path(index);
        assertThat(f.path("fname").asText()).as("fname of %s", f).isEqualTo(fname);
        assertThat(f.get("data").isNull()).as("data is null in %s", f).isTrue();
        assertThat(f.path("error").path("code").asInt()).as("code in %s", f).isEqualTo(code);
        assertThat(f.path("error").path("msg").asText()).isEqualTo(msg);
    }

    /** The data of the function result at {@code index}, after checking it is no error. */
    static JsonNode result(JsonNode reply, int index, String fname) {
        JsonNode f = reply.path("data").path(index);
        assertThat(f.path("fname").asText()).as("fname of %s", f).isEqualTo(fname);
        assertThat(f.has("error")).as("no error in %s", f).isFalse();
        return f.get("data");
    }

    static void assertAuthenticated(JsonNode reply) {
        assertThat(reply.path("data").asText()).as("reply %s", reply).isEqualTo("Authenticated");
        assertThat(reply.path("session").asText()).matches("[0-9a-f]{32}");
    }
}
