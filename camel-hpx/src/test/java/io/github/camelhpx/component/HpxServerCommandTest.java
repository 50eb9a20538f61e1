package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server commands go out only from endpoints that allow them explicitly. */
class HpxServerCommandTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create();

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
                from("direct:quitNotAllowed").to("hpx:serverquit");
                from("direct:requestauth").to("hpx:requestauth?allowServerCommands=true");
                from("direct:restart").to("hpx:serverrestart?allowServerCommands=true");
                from("direct:quit").to("hpx:get_version?allowServerCommands=true");
            }
        };
    }

    @Test
    void aServerCommandIsRefusedWithoutTheOptIn() {
        server().clearReceivedMessages();

        Exchange byPath = template.request("direct:quitNotAllowed", null);
        Exchange byHeader = template.request("direct:version",
                e -> e.getMessage().setHeader(HpxConstants.FUNCTION, "ServerQuit"));

        assertThat(byPath.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'serverquit' is an HPX server command; the endpoint must set allowServerCommands=true to send it");
        assertThat(byHeader.getException()).isInstanceOf(IllegalArgumentException.class);
        assertThat(server().receivedMessages()).isEmpty();
        assertThat(server().isRunning()).isTrue();
    }

    @Test
    void requestauthLogsInAgainAndAnswersWithTheWelcome() {
        String before = template.request("direct:version", null).getMessage().getHeader(HpxConstants.SESSION_ID, String.class);

        Exchange reply = template.request("direct:requestauth", null);

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).get("guest_allowed").asBoolean()).isTrue();
        assertThat(reply.getMessage().getHeader(HpxConstants.CALLED_FUNCTION)).isEqualTo("requestauth");
        assertThat(reply.getMessage().getHeader(HpxConstants.SESSION_ID, String.class))
                .matches("[0-9a-f]{32}").isNotEqualTo(before);
    }

    @Test
    void serverrestartRestartsTheServer() {
        String before = template.request("direct:version", null).getMessage().getHeader(HpxConstants.SESSION_ID, String.class);

        Exchange reply = template.request("direct:restart", null);

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> !server().sessionIds().contains(before));
        assertThat(template.request("direct:version", null).getException()).isNull();
    }

    @Test
    void theFunctionHeaderCanNameAServerCommandWhereTheEndpointAllowsIt() {
        Exchange reply = template.request("direct:quit", e -> e.getMessage().setHeader(HpxConstants.FUNCTION, "serverquit"));

        assertThat(reply.getException()).isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> !server().isRunning());
    }
}
