package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The function-call and error tables of the protocol, seen through the client. */
class FunctionCallTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("crash").handler(call -> {
                throw new IndexOutOfBoundsException("boom");
            })));

    private HpxClient client;

    @BeforeEach
    void connect() {
        client = TestClients.to(hpx.server()).poolSize(1).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void callReturnsTheFunctionsData() {
        assertThat(client.call("echo", Map.of("value", Map.of("k", List.of(1, 2)))).toString())
                .isEqualTo("{\"k\":[1,2]}");
        assertThat(client.call("get_count", Map.of("item_type", "Gallery")).has("count")).isTrue();
    }

    @Test
    void argumentsAreSentBesideFname() {
        client.call("echo", Map.of("value", 7));

        JsonNode data = hpx.server().receivedMessages().get(1).data();
        assertThat(data.toString()).isEqualTo("[{\"fname\":\"echo\",\"value\":7}]");
    }

    @Test
    void functionErrorsAreTypedWithTheServersCodeAndText() {
        assertThatThrownBy(() -> client.call("get_item", Map.of("item_id", 0)))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                    assertThat(e.getFunctionName()).isEqualTo("get_item");
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getServerMessage()).isEqualTo("A valid item id is required, not 0");
                });
        assertThatThrownBy(() -> client.call("get_item", Map.of("item_id", 999_999)))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(303);
                    assertThat(e.getServerMessage()).isEqualTo("'Gallery' with id '999999' was not found");
                });
        assertThatThrownBy(() -> client.call("get_count", Map.of("item_type", "nope")))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getServerMessage()).isEqualTo("ItemType: enum member doesn't exist ''nope''");
                });
    }

    @Test
    void validationErrorsAreFunctionErrors() {
        assertThatThrownBy(() -> client.call("xyz"))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getServerMessage()).isEqualTo("Function not found: 'xyz'");
                });
        assertThatThrownBy(() -> client.call("get_version", Map.of("arg", 1)))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> assertThat(e.getServerMessage())
                        .isEqualTo("Unexpected argument in function 'get_version': 'arg'"));
        assertThatThrownBy(() -> client.call("echo"))
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> assertThat(e.getServerMessage())
                        .isEqualTo("Missing a required argument in function 'echo': 'value'"));
    }

    @Test
    void batchResultsComeBackInRequestOrderWithMixedFailures() {
        List<FunctionResult> results = client.callAll(List.of(
                FunctionCall.of("echo", Map.of("bad", 1)),
                FunctionCall.of("echo", Map.of("value", "second")),
                FunctionCall.of("get_item", Map.of("item_id", 0)),
                FunctionCall.of("nope"),
                FunctionCall.of("echo", Map.of("value", "fifth"))));

        assertThat(results).extracting(FunctionResult::fname).containsExactly("echo", "echo", "get_item", "nope", "echo");
        assertThat(results.get(0).error().msg()).isEqualTo("Unexpected argument in function 'echo': 'bad'");
        assertThat(results.get(1).data().asText()).isEqualTo("second");
        assertThat(results.get(2).error().code()).isEqualTo(404);
        assertThat(results.get(3).error().msg()).isEqualTo("Function not found: 'nope'");
        assertThat(results.get(4).data().asText()).isEqualTo("fifth");
    }

    @Test
    void crashingFunctionFailsTheWholeMessageAtServerLevel() {
        assertThatThrownBy(() -> client.callAll(List.of(FunctionCall.of("get_version"), FunctionCall.of("crash"))))
                .isInstanceOfSatisfying(HpxServerException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(100);
                    assertThat(e.getServerMessage()).isEqualTo(
                            "[100] HappypandaError: An unhandled critical error has occurred: IndexOutOfBoundsException");
                });
        assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
    }

    @Test
    void staleValidationErrorsNeverReachTheNextCaller() {
        // A batch that fails at server level leaves its validation errors behind on the real server's connection.
        assertThatThrownBy(() -> client.callAll(List.of(FunctionCall.of("nope"), FunctionCall.of("crash"))))
                .isInstanceOf(HpxServerException.class);

        List<FunctionResult> next = client.callAll(List.of(FunctionCall.of("echo", Map.of("value", 1))));

        assertThat(next).singleElement().satisfies(r -> assertThat(r.data().intValue()).isEqualTo(1));
    }

    @Test
    void nullAndEmptyResultsAreKept() {
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("value", null);

        assertThat(client.call("echo", Map.of("value", List.of())).isArray()).isTrue();
        assertThat(client.call("echo", nothing).isNull()).isTrue();
    }

    @Test
    @Tag("g1")
    void noNotificationIsANullResult() {
        // get_notification is G1 only (G2: 403 Function not found).
        assertThat(client.call("get_notification").isNull()).isTrue();
    }
}
