package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Endpoints share sessions; a session the server lost is re-established without the route noticing. */
class HpxSessionTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", "secret")
            .user("alice", "wonderland"));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @BeforeEach
    void forgetEarlierTests() {
        server().clearReceivedMessages();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").routeId("version").to("hpx:get_version?user=bob&password=secret");
                from("direct:count").routeId("count").to("hpx:get_count?user=bob&password=secret&arg.item_type=Gallery");
                from("direct:alice").routeId("alice").to("hpx:get_version?user=alice&password=wonderland");
                from("direct:reuse").routeId("reuse").autoStartup(false)
                        .toD("hpx:get_version?user=bob&password=secret&sessionId=${header.sid}");
            }
        };
    }

    @Test
    void endpointsWithTheSameServerAndCredentialsShareOneSession() {
        String version = sessionOf(template.request("direct:version", null));
        String count = sessionOf(template.request("direct:count", null));
        String alice = sessionOf(template.request("direct:alice", null));

        assertThat(count).isEqualTo(version);
        assertThat(alice).isNotEqualTo(version);
        assertThat(handshakes()).isEqualTo(2);
    }

    @Test
    void endpointsThatWriteTheSameServerAndProtocolOtherwiseShareOneSession() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // The server and the protocol as "version" has them, written otherwise.
                from("direct:spelled").routeId("spelled")
                        .to("hpx:get_count?user=bob&password=secret&arg.item_type=Gallery&host=" + server().host() + ":"
                            + server().port() + "&port=1&protocol=AUTO");
            }
        });
        try {
            String version = sessionOf(template.request("direct:version", null));
            String spelled = sessionOf(template.request("direct:spelled", null));

            assertThat(spelled).isEqualTo(version);
            assertThat(handshakes()).isEqualTo(1);
            assertThat(context.getComponent("hpx", HpxComponent.class).openClients().keySet())
                    .filteredOn(key -> "bob".equals(key.user())).hasSize(1);
        } finally {
            context.getRouteController().stopRoute("spelled");
            context.removeRoute("spelled");
        }
    }

    @Test
    void theSharedClientIsClosedWhenItsLastUserStops() throws Exception {
        template.request("direct:version", null);
        template.request("direct:count", null);
        template.request("direct:alice", null);

        context.getRouteController().stopRoute("version");
        context.getRouteController().stopRoute("alice");
        await().atMost(Duration.ofSeconds(5)).until(() -> server().openConnections() == 1);
        assertThat(template.request("direct:count", null).getException()).isNull();

        context.getRouteController().stopRoute("count");
        await().atMost(Duration.ofSeconds(5)).until(() -> server().openConnections() == 0);
    }

    @Test
    void aSessionLostToARestartIsReEstablished() {
        String before = sessionOf(template.request("direct:version", null));

        server().restart();
        Exchange after = template.request("direct:version", null);

        assertThat(after.getException()).isNull();
        assertThat(sessionOf(after)).isNotEqualTo(before).isIn(server().sessionIds());
        assertThat(handshakes()).isEqualTo(2);
    }

    @Test
    void anExpiredSessionIsReEstablished() {
        String before = sessionOf(template.request("direct:version", null));

        server().expireSession(before);
        Exchange after = template.request("direct:count", null);

        assertThat(after.getException()).isNull();
        assertThat(sessionOf(after)).isNotEqualTo(before).isIn(server().sessionIds());
    }

    @Test
    void aGivenSessionIdIsUsedWithoutAHandshake() throws Exception {
        String existing = sessionOf(template.request("direct:alice", null));
        context.getRouteController().startRoute("reuse");

        Exchange reused = template.request("direct:reuse", e -> e.getMessage().setHeader("sid", existing));

        assertThat(reused.getException()).isNull();
        assertThat(sessionOf(reused)).isEqualTo(existing);
        assertThat(handshakes()).isEqualTo(1);
    }

    private static String sessionOf(Exchange exchange) {
        assertThat(exchange.getException()).isNull();
        return exchange.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
    }

    private long handshakes() {
        return server().receivedMessages().stream().filter(HpxSessionTest::isHandshake).count();
    }

    private static boolean isHandshake(ReceivedMessage message) {
        return "".equals(message.session()) && message.data() != null && message.data().isObject();
    }
}
