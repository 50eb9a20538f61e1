package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A List body is one batch message; its results come back in request order, failures marked. The client's own
 * FunctionCall objects work as bodies too: their arguments go out as arguments, not as one 'args'.
 */
class HpxBatchTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server.function(FunctionSpec.echo()));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:batch").to("hpx:batch?arg.item_type=Collection");
                from("direct:call").to("hpx:ignored");
                from("direct:callBatchCall").to("hpx:get_version")
                        .setProperty("first", header(HpxConstants.CALLED_FUNCTION))
                        .setBody(constant(List.of(Map.of("fname", "get_count"), Map.of("fname", "get_item"),
                                Map.of("fname", "get_count"))))
                        .to("hpx:batch").setProperty("batchFunction", header(HpxConstants.CALLED_FUNCTION))
                        .setProperty("batchFailures", header(HpxConstants.BATCH_FAILURES))
                        .setBody(constant(null)).to("hpx:get_count");
                from("direct:callThenFail").to("hpx:get_version").setBody(constant(Map.of("item_id", 0)))
                        .to("hpx:get_item");
            }
        };
    }

    @Test
    void resultsComeBackInRequestOrderWithEveryFailureMarked() {
        // The server answers validation failures (unknown function, unexpected argument) after all other results.
        List<Map<String, Object>> calls = List.of(
                Map.of("fname", "no_such_function"),
                Map.of("fname", "echo", "value", "first"),
                Map.of("fname", "get_item", "item_id", 0),
                Map.of("fname", "get_count", "item_type", "Gallery"),
                Map.of("fname", "echo", "value", "second", "bogus", 1),
                Map.of("fname", "get_item", "item_id", 999_999),
                Map.of("fname", "echo", "value", "third"));

        Exchange reply = template.request("direct:batch", e -> e.getMessage().setBody(calls));

        JsonNode results = reply.getMessage().getBody(JsonNode.class);
        assertThat(results).hasSize(7);
        assertThat(results.findValuesAsText("fname")).containsExactly("no_such_function", "echo", "get_item",
                "get_count", "echo", "get_item", "echo");
        assertThat(results.get(0).get("error").get("code").asInt()).isEqualTo(403);
        assertThat(results.get(1).get("data").asText()).isEqualTo("first");
        assertThat(results.get(2).get("error").toString())
                .isEqualTo("{\"code\":404,\"msg\":\"A valid item id is required, not 0\"}");
        assertThat(results.get(3).get("data").get("count").asInt()).isEqualTo(25);
        assertThat(results.get(3).has("error")).isFalse();
        assertThat(results.get(4).get("error").get("msg").asText())
                .isEqualTo("Unexpected argument in function 'echo': 'bogus'");
        assertThat(results.get(5).get("error").get("code").asInt()).isEqualTo(303);
        assertThat(results.get(6).get("data").asText()).isEqualTo("third");
        assertThat(reply.getMessage().getHeader(HpxConstants.BATCH_FAILURES)).isEqualTo(4);
        assertThat(reply.getException()).isNull();
    }

    @Test
    void eachReplyCarriesItsOwnHeadersAndNoneLeftByAnEarlierCall() {
        Exchange reply = template.request("direct:callBatchCall", e -> { });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getProperty("first")).isEqualTo("get_version");
        assertThat(reply.getProperty("batchFunction")).isNull();
        assertThat(reply.getProperty("batchFailures")).isEqualTo(1);
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo("get_count");
        assertThat(reply.getMessage().getHeaders()).doesNotContainKey(HpxConstants.BATCH_FAILURES);
    }

    @Test
    void aFailedCallCarriesNoHeaderAnEarlierCallSetForItsReply() {
        Exchange failed = template.request("direct:callThenFail", e -> { });

        assertThat(failed.getException()).isNotNull();
        assertThat(failed.getMessage().getHeaders()).doesNotContainKeys(HpxConstants.CALLED_FUNCTION,
                HpxConstants.SERVER, HpxConstants.SERVER_NAME, HpxConstants.SERVER_VERSION, HpxConstants.PROTOCOL);
    }

    @Test
    void theBatchIsOneMessageAndGetsNoEndpointArguments() {
        template.requestBody("direct:batch", "[{\"fname\": \"get_count\"}, {\"fname\": \"echo\", \"value\": 1}]");

        ReceivedMessage batch = server().receivedMessages().stream()
                .filter(m -> m.data() != null && m.data().isArray() && m.data().size() == 2).findFirst().orElseThrow();
        assertThat(batch.data().toString()).isEqualTo("[{\"fname\":\"get_count\"},{\"fname\":\"echo\",\"value\":1}]");
    }

    @Test
    void aBatchWithoutFailuresCountsNone() {
        Exchange reply = template.request("direct:batch", e -> e.getMessage().setBody(
                List.of(Map.of("fname", "get_version"), Map.of("fname", "echo", "value", "x"))));

        assertThat(reply.getMessage().getBody(JsonNode.class).findValuesAsText("fname"))
                .containsExactly("get_version", "echo");
        assertThat(reply.getMessage().getHeader(HpxConstants.BATCH_FAILURES)).isEqualTo(0);
        assertThat(reply.getMessage().getHeader(HpxConstants.SESSION_ID)).isNotNull();
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isNull();
    }

    @Test
    void aCallWithoutFnameIsRejectedBeforeAnythingIsSent() {
        server().clearReceivedMessages();

        Exchange reply = template.request("direct:batch", e -> e.getMessage().setBody(
                List.of(Map.of("fname", "get_version"), Map.of("item_type", 1))));

        assertThat(reply.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Call 1 of the HPX batch is no object with a string 'fname'");
        assertThat(server().receivedMessages()).isEmpty();
    }

    @Test
    void aListOfFunctionCallsIsABatchWithTheirArguments() {
        List<FunctionCall> calls = List.of(FunctionCall.of("echo", Map.of("value", "first")),
                FunctionCall.of("echo", Map.of("value", 2)));

        JsonNode results = template.requestBody("direct:call", calls, JsonNode.class);

        assertThat(results.findValuesAsText("fname")).containsExactly("echo", "echo");
        assertThat(results.get(0).get("data").asText()).isEqualTo("first");
        assertThat(results.get(1).get("data").asInt()).isEqualTo(2);
    }

    @Test
    void oneFunctionCallIsThatCallWhateverTheEndpointsFunction() {
        JsonNode data = template.requestBody("direct:call", FunctionCall.of("echo", Map.of("value", "mine")),
                JsonNode.class);

        assertThat(data.asText()).isEqualTo("mine");
    }
}
