package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static io.github.camelhpx.testkit.Replies.assertFunctionError;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static io.github.camelhpx.testkit.Replies.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Function calls (§5): validation texts, the ordering rule, function-level and server-level errors. */
class FunctionCallTest {

    private static final AtomicInteger COUNTED = new AtomicInteger();

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("counted").handler(call -> COUNTED.incrementAndGet()))
            .function(FunctionSpec.of("add").param("a").param("b", 10)
                    .handler(call -> call.args().get("a").asInt() + call.args().get("b").asInt()))
            .function(FunctionSpec.of("nothing"))
            .function(FunctionSpec.of("refuse").handler(call -> {
                throw new HpxApiError(404, "refused on purpose");
            }))
            .function(FunctionSpec.of("crash").handler(call -> {
                throw new IllegalStateException("boom");
            }))
            .function(FunctionSpec.of("whoami").handler(call -> call.sessionId() + "/" + call.clientName())));

    private RawClient client() {
        return RawClient.guest(hpx.server());
    }

    @Test
    void resultsComeInRequestOrderWithFnameAndData() {
        try (RawClient c = client()) {
            JsonNode reply = c.call("[{\"fname\": \"get_version\"}, {\"fname\": \"get_count\", \"item_type\": 1}]");
            assertThat(reply.get("session").asText()).isEqualTo(c.session());
            assertThat(result(reply, 0, "get_version").toString()).isEqualTo("{\"core\":[0,3,0],\"db\":[0,2,0],\"torrent\":[0,0,0]}");
            assertThat(result(reply, 1, "get_count").toString()).isEqualTo("{\"count\":25}");
        }
    }

    @Test
    void anEmptyListGivesAnEmptyList() {
        try (RawClient c = client()) {
            assertThat(c.call("[]").get("data").toString()).isEqualTo("[]");
        }
    }

    @Test
    void validatedCallsComeFirstThenValidationFailures() {
        try (RawClient c = client()) {
            JsonNode reply = c.call("[{\"fname\": \"xyz\"}, {\"fname\": \"get_version\"}, {\"fname\": \"get_item\", \"item_id\": 0},"
                    + " {\"fname\": \"get_count\", \"bogus\": 1}, {\"fname\": \"echo\"}, {\"fname\": \"add\", \"a\": 1}]");
            assertThat(reply.get("data")).hasSize(6);
            result(reply, 0, "get_version");
            assertFunctionError(reply, 1, "get_item", 404, "A valid item id is required, not 0");
            assertThat(result(reply, 2, "add").asInt()).isEqualTo(11);
            assertFunctionError(reply, 3, "xyz", 403, "Function not found: 'xyz'");
            assertFunctionError(reply, 4, "get_count", 403, "Unexpected argument in function 'get_count': 'bogus'");
            assertFunctionError(reply, 5, "echo", 403, "Missing a required argument in function 'echo': 'value'");
        }
    }

    @Test
    void anUnexpectedAndAMissingArgumentAreBothReported() {
        try (RawClient c = client()) {
            JsonNode reply = c.callOne("{\"fname\": \"echo\", \"valeu\": 1}");
            assertThat(reply.get("data")).hasSize(2);
            assertFunctionError(reply, 0, "echo", 403, "Unexpected argument in function 'echo': 'valeu'");
            assertFunctionError(reply, 1, "echo", 403, "Missing a required argument in function 'echo': 'value'");
        }
    }

    @Test
    void anElementWithoutFnameFailsTheWholeMessageAndNothingRuns() {
        try (RawClient c = client()) {
            int before = COUNTED.get();
            JsonNode reply = c.call("[{\"fname\": \"counted\"}, {\"name\": \"get_version\"}]");
            assertServerError(reply, 403, "Function message missing 'fname' key");
            assertThat(reply.get("session").asText()).isEqualTo(c.session());
            assertThat(COUNTED.get()).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "\"get_version\"", "null"})
    void anElementThatIsNoObjectFailsTheWholeMessage(String element) {
        try (RawClient c = client()) {
            String shown = element.equals("null") ? "None" : element.replace("\"", "");
            assertServerError(c.call("[" + element + "]"), 403, "A list/dict was expected, not: " + shown);
        }
    }

    @Test
    void aCrashingFunctionFailsTheWholeMessageWith100() {
        try (RawClient c = client()) {
            assertServerError(c.call("[{\"fname\": \"get_version\"}, {\"fname\": \"crash\"}]"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: IllegalStateException");
        }
    }

    @Test
    void aNonStringFnameCrashesLikeThePythonAssertion() {
        // a connection of its own: the crash leaves the stale error behind on it
        try (RawClient c = client()) {
            assertServerError(c.call("[{\"fname\": 5}]"), 100,
                    "[100] HappypandaError: An unhandled critical error has occurred: AssertionError");
        }
    }

    @Test
    void anHpxErrorIsFunctionLevelAndSiblingsSucceed() {
        try (RawClient c = client()) {
            JsonNode reply = c.call("[{\"fname\": \"refuse\"}, {\"fname\": \"echo\", \"value\": \"ok\"}]");
            assertFunctionError(reply, 0, "refuse", 404, "refused on purpose");
            assertThat(result(reply, 1, "echo").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aFunctionWithoutReturnValueGivesDataNull() {
        try (RawClient c = client()) {
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [{\"fname\": \"nothing\"}]}");
            assertThat(c.readText()).endsWith("\"data\": [{\"fname\": \"nothing\", \"data\": null}]}");
        }
    }

    @Test
    void handlersSeeTheirSessionAndClientName() {
        try (RawClient c = client()) {
            assertThat(result(c.callOne("{\"fname\": \"whoami\"}"), 0, "whoami").asText())
                    .isEqualTo(c.session() + "/test-client");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "\"Gallery\"", "\"gallery\"", "\"GALLERY\"", "true", "1.0"})
    void enumArgumentsTakeTheIntegerOrTheNameInAnyCase(String itemType) {
        try (RawClient c = client()) {
            assertThat(result(c.callOne("{\"fname\": \"get_count\", \"item_type\": " + itemType + "}"), 0, "get_count")
                    .get("count").asInt()).isEqualTo(25);
        }
    }

    @Test
    void badEnumValuesAreFunctionLevel409WithThePythonRepr() {
        try (RawClient c = client()) {
            JsonNode reply = c.call("[{\"fname\": \"get_count\", \"item_type\": \"nope\"}, {\"fname\": \"get_count\", \"item_type\": 99},"
                    + " {\"fname\": \"get_count\", \"item_type\": null}, {\"fname\": \"get_version\"}]");
            assertFunctionError(reply, 0, "get_count", 409, "ItemType: enum member doesn't exist ''nope''");
            assertFunctionError(reply, 1, "get_count", 409, "ItemType: enum member doesn't exist '99'");
            assertFunctionError(reply, 2, "get_count", 409, "ItemType: enum member doesn't exist 'None'");
            result(reply, 3, "get_version");
        }
    }

    @Test
    void everyReplyReachesItsOwnCallerAcrossConnectionsOfOneSession() throws Exception {
        try (RawClient first = client()) {
            java.util.List<java.util.concurrent.Callable<Boolean>> tasks = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                tasks.add(() -> {
                    try (RawClient c = RawClient.welcomed(hpx.server())) {
                        c.session(first.session());
                        for (int i = 0; i < 200; i++) {
                            String value = thread + "-" + i;
                            JsonNode reply = c.callOne("{\"fname\": \"echo\", \"value\": \"" + value + "\"}");
                            if (!value.equals(result(reply, 0, "echo").asText())) {
                                return false;
                            }
                        }
                        return true;
                    }
                });
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (java.util.concurrent.Future<Boolean> f : pool.invokeAll(tasks)) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
