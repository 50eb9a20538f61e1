package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code toD("hpx:${header.fn}")} reuses one endpoint for every function, with the function in a header. */
class HpxSendDynamicTest extends HpxCamelTestSupport {

    private static final int FUNCTIONS = 50;

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> IntStream.range(0, FUNCTIONS)
            .forEach(i -> server.function(FunctionSpec.of("function_" + i).handler(call -> "answer of " + i))));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dynamic").toD("hpx:${header.fn}");
                from("direct:byClient").toD("hpx:${header.fn}?clientName=${header.client}");
            }
        };
    }

    @Test
    void fiftyFunctionsShareOneEndpointAndEachCallReachesItsFunction() {
        for (int i = 0; i < FUNCTIONS; i++) {
            String function = "function_" + i;
            Exchange reply = template.request("direct:dynamic", e -> e.getMessage().setHeader("fn", function));

            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(JsonNode.class).textValue()).isEqualTo("answer of " + i);
            assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo(function);
        }

        assertThat(hpxEndpoints()).singleElement().extracting(HpxEndpoint::getFunction).isEqualTo("${header.fn}");
    }

    @Test
    void endpointsWhoseOptionsDifferStayApart() {
        for (String client : List.of("first", "second", "first")) {
            Exchange reply = template.request("direct:byClient", e -> {
                e.getMessage().setHeader("fn", "function_1");
                e.getMessage().setHeader("client", client);
            });
            assertThat(reply.getMessage().getBody(JsonNode.class).textValue()).isEqualTo("answer of 1");
        }

        assertThat(hpxEndpoints()).extracting(endpoint -> endpoint.getConfiguration().getClientName())
                .containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void theFunctionHeaderDoesNotOutliveTheDynamicCall() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:thenVersion").toD("hpx:${header.fn}")
                        .process(e -> e.getMessage().setBody(null))
                        .to("hpx:get_version");
            }
        });

        Exchange reply = template.request("direct:thenVersion", e -> e.getMessage().setHeader("fn", "function_2"));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo("get_version");
        assertThat(reply.getMessage().getHeaders()).doesNotContainKey(HpxConstants.FUNCTION);
    }

    @Test
    void aFunctionHeaderTheRouteSetWinsAsItDoesWithoutTheOptimisation() {
        Exchange reply = template.request("direct:dynamic", e -> {
            e.getMessage().setHeader("fn", "function_3");
            e.getMessage().setHeader(HpxConstants.FUNCTION, "function_4");
        });

        assertThat(reply.getMessage().getBody(JsonNode.class).textValue()).isEqualTo("answer of 4");
        assertThat(reply.getMessage().getHeader(HpxConstants.FUNCTION)).isEqualTo("function_4");
    }

    @Test
    void aServerCommandIsNoHeaderDrivenCallButAnEndpointOfItsOwnThatRefusesIt() {
        Exchange reply = template.request("direct:dynamic", e -> e.getMessage().setHeader("fn", "serverquit"));

        assertThat(reply.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'serverquit' is an HPX server command");
        assertThat(hpxEndpoints()).extracting(HpxEndpoint::getFunction).containsExactly("serverquit");
        assertThat(server().isRunning()).isTrue();
    }

    private List<HpxEndpoint> hpxEndpoints() {
        return context.getEndpoints().stream().filter(HpxEndpoint.class::isInstance).map(HpxEndpoint.class::cast)
                .toList();
    }
}
