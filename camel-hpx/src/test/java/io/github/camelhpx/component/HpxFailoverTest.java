package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Endpoints whose host lists two servers, A then B, of the pass's generation: calls and the broadcast consumer
 * move to B when A stops; the header and the health checks tell which server answered; failback brings them back.
 */
class HpxFailoverTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension a = HpxTestServerExtension.create();
    @RegisterExtension
    static final HpxTestServerExtension b = HpxTestServerExtension.create();

    @Override
    protected HpxTestServerExtension hpx() {
        return a;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("hpx", HpxComponent.class).getConfiguration().setHost(servers());
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        HealthCheckHelper.getHealthCheckRepository(context, "consumers");
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").routeId("version").to("hpx:get_version");
                from("direct:failback").to("hpx:get_version?failback=true&failbackInterval=100");
                from("hpx:broadcast?reconnectDelay=50&maxReconnectDelay=200").routeId("broadcasts").to("mock:broadcasts");
            }
        };
    }

    @Test
    void callsMoveToTheSecondServerAndTheHeaderAndTheCheckSaySo() {
        assertThat(answeredBy("direct:version")).isEqualTo(address(a.server()));

        a.server().stop();

        assertThat(answeredBy("direct:version")).isEqualTo(address(b.server()));
        HealthCheck.Result check = result("producer:hpx-version");
        assertThat(check.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(check.getDetails()).containsEntry(HpxHealthCheck.SERVER, servers())
                .containsEntry(HpxHealthCheck.CURRENT_SERVER, address(b.server()));
    }

    @Test
    void theBroadcastConsumerResumesOnTheSecondServerAndReceivesItsBroadcast() throws Exception {
        await().until(() -> address(a.server()).equals(
                result("consumer:broadcasts").getDetails().get(HpxHealthCheck.CURRENT_SERVER)));

        a.server().stop();

        // The client is on b before the watch's connection to b is open, and a broadcast sent between is missed:
        // wait until the consumer listens again (reconnected, so not a stale UP of its connection to a).
        HpxBroadcastConsumer consumer = (HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer();
        await().until(() -> {
            HealthCheck.Result check = result("consumer:broadcasts");
            return check.getState() == HealthCheck.State.UP && consumer.getReconnects() > 0
                   && address(b.server()).equals(check.getDetails().get(HpxHealthCheck.CURRENT_SERVER));
        });
        MockEndpoint broadcasts = getMockEndpoint("mock:broadcasts");
        broadcasts.expectedHeaderReceived(HpxConstants.BROADCAST, "ServerQuit");
        broadcasts.expectedHeaderReceived(HpxConstants.SERVER, address(b.server()));
        b.server().broadcast(1);
        broadcasts.assertIsSatisfied();
    }

    @Test
    void withFailbackCallsGoBackToTheFirstServerOnceItAnswers() {
        assertThat(answeredBy("direct:failback")).isEqualTo(address(a.server()));
        a.server().stop();
        assertThat(answeredBy("direct:failback")).isEqualTo(address(b.server()));

        a.server().start();

        await().until(() -> address(a.server()).equals(answeredBy("direct:failback")));
    }

    @Test
    void withoutFailbackCallsStayOnTheSecondServer() {
        // First a call to the first server, as in the tests above: stopped at once, it could go away while the
        // call's connection was being opened by the broadcast consumer, a connection the call takes as fresh, so
        // that its failure is the call's (the pool retries only on a connection that sat idle before the call).
        assertThat(answeredBy("direct:version")).isEqualTo(address(a.server()));
        a.server().stop();
        assertThat(answeredBy("direct:version")).isEqualTo(address(b.server()));

        a.server().start();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> address(b.server()).equals(answeredBy("direct:version")));
    }

    @Test
    void aBadServerListFailsTheEndpointNamingTheEntry() {
        assertThatThrownBy(() -> context.getEndpoint("hpx:get_version?host=hpx1:7007,hpx2:x"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("bad entry 'hpx2:x'").hasMessageContaining("the port 'x' is not a number");
        assertThatThrownBy(() -> context.getEndpoint("hpx:get_version?host=hpx1,hpx2&failback=true&failbackInterval=0"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("failbackInterval must be positive");
    }

    private String answeredBy(String uri) {
        Exchange reply = template.request(uri, exchange -> { });
        assertThat(reply.getException()).isNull();
        return reply.getMessage().getHeader(HpxConstants.SERVER, String.class);
    }

    private String servers() {
        return address(a.server()) + "," + address(b.server());
    }

    private static String address(HpxTestServer server) {
        return server.host() + ":" + server.port();
    }

    private HealthCheck.Result result(String checkId) {
        Optional<HealthCheck.Result> result = HealthCheckHelper.invoke(context, checkId,
                Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
        assertThat(result).as("health check %s", checkId).isPresent();
        return result.get();
    }
}
