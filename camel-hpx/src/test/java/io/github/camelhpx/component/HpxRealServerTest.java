package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.Result;
import org.apache.camel.component.extension.ComponentVerifierExtension.Scope;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError.StandardCode;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The component against any HPX server, using only functions every server has: the embedded one by default, a
 * real one with {@code -Dhpx.it.host=... -Dhpx.it.port=... -Dhpx.it.protocol=g1|g2 [-Dhpx.it.user=...
 * -Dhpx.it.password=...]} (see the component page's testing section).
 */
class HpxRealServerTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "an-embedded-pa55";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD))
            .orRealServer("bob", PASSWORD);

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").to("hpx:get_version");
                from("direct:dynamic").toD("hpx:${header.fn}");
            }
        };
    }

    @Test
    void aCallAnswersInASessionOfTheServersGeneration() {
        Exchange reply = template.request("direct:version", null);

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).get("core")).hasSize(3);
        assertThat(reply.getMessage().getHeader(HpxConstants.SESSION_ID, String.class)).matches("[0-9a-f]{32}");
        assertThat(reply.getMessage().getHeader(HpxConstants.PROTOCOL)).isEqualTo(protocol().name());
    }

    @Test
    void toDReachesEachFunctionThroughOneEndpoint() {
        for (String function : new String[] { "get_version", "get_config", "get_version" }) {
            Exchange reply = template.request("direct:dynamic", e -> e.getMessage().setHeader("fn", function));
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo(function);
        }

        assertThat(context.getEndpoints()).filteredOn(HpxEndpoint.class::isInstance)
                .extracting(endpoint -> ((HpxEndpoint) endpoint).getFunction())
                .containsExactlyInAnyOrder("get_version", "${header.fn}");
    }

    @Test
    void aPollingConsumerEmitsTheFunctionsData() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:get_version?initialDelay=0&delay=50").routeId("polled").to("mock:polled");
            }
        });

        MockEndpoint polled = getMockEndpoint("mock:polled");
        await().until(() -> polled.getReceivedCounter() >= 2);
        assertThat(polled.getReceivedExchanges().get(0).getMessage().getBody(JsonNode.class).has("core")).isTrue();
    }

    @Test
    void theVerifierConnectsWithTheCredentialsAndRefusesAWrongPassword() {
        Assumptions.assumeTrue(hpx().user() != null, "the server is used as a guest: no password to get wrong");
        Map<String, Object> options = new HashMap<>(Map.of("host", hpx().host(), "port", hpx().port(),
                "user", hpx().user()));
        if (hpx().password() != null) {
            options.put("password", hpx().password());
        }
        ComponentVerifierExtension verifier = context.getComponent("hpx").getExtension(ComponentVerifierExtension.class)
                .orElseThrow();

        Result right = verifier.verify(Scope.CONNECTIVITY, options);
        options.put("password", "wrong-" + hpx().password());
        Result wrong = verifier.verify(Scope.CONNECTIVITY, options);

        assertThat(right.getErrors()).isEmpty();
        assertThat(wrong.getErrors()).singleElement().extracting(error -> error.getCode())
                .isEqualTo(StandardCode.AUTHENTICATION);
    }

    @Test
    void theServerSeesTheClientsName() {
        template.request("direct:version", null);

        // Only the embedded server can say what it received.
        assertThat(server().receivedMessages()).extracting(ReceivedMessage::name).contains("camel-hpx");
    }
}
