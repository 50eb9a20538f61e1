package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's own FunctionCall objects work as bodies: their arguments go out as arguments, not as one 'args'. */
class HpxFunctionCallBodyTest extends HpxCamelTestSupport {

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
                from("direct:call").to("hpx:ignored");
            }
        };
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
