package io.github.camelhpx.quarkus.it;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxFunctionException;
import io.github.camelhpx.component.HpxComponent;
import io.github.camelhpx.component.HpxComponentConfigurer;
import io.github.camelhpx.component.HpxConfiguration;
import io.github.camelhpx.component.HpxConstants;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The extension in a Quarkus application (JVM mode), against the embedded HPX server started by the testkit's
 * Quarkus test resource: the component is found and configured from {@code application.properties}, its routes
 * talk to the server over loopback, Jackson binds the client's and the application's types, and the health checks
 * and the broadcast consumer work.
 */
@QuarkusTest
@WithTestResource(value = HpxTestServerResource.class,
                  initArgs = @ResourceArg(name = "serverName", value = HpxExtensionTest.SERVER_NAME))
class HpxExtensionTest {

    static final String SERVER_NAME = "camel_hpx_quarkus_it";

    @Inject
    CamelContext context;

    @Inject
    ProducerTemplate template;

    @Inject
    ReceivedBroadcasts broadcasts;

    /** Injected by HpxTestServerResource */
    HpxTestServer server;

    @Test
    void theComponentIsConfiguredFromApplicationPropertiesByItsGeneratedConfigurer() {
        assertThat(PluginHelper.getConfigurerResolver(context).resolvePropertyConfigurer("hpx-component", context))
                .isInstanceOf(HpxComponentConfigurer.class);
        HpxConfiguration configuration = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        assertThat(configuration.getClientName()).isEqualTo("camel-hpx-quarkus-it");
        assertThat(configuration.getRequestTimeout()).isEqualTo(7_000);
        assertThat(configuration.getPoolSize()).isEqualTo(2);
        // from the test resource
        assertThat(configuration.getPort()).isEqualTo(server.port());
        assertThat(configuration.getUser()).isEqualTo(HpxTestServerResource.DEFAULT_USER);
    }

    @Test
    void aRouteCallsTheServerAsTheConfiguredUser() {
        Exchange reply = template.request("direct:version", exchange -> { });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).path("core").toString()).isEqualTo("[0,3,0]");
        assertThat(reply.getMessage().getHeader(HpxConstants.SERVER_NAME)).isEqualTo(SERVER_NAME);
        // a login, not a guest session: the server allows no guests here
        assertThat(reply.getMessage().getHeader(HpxConstants.SESSION_ID, String.class)).isIn(server.sessionIds());
    }

    @Test
    void aListOfCallsIsSentAsOneBatch() {
        Exchange reply = template.request("direct:batch", exchange -> exchange.getMessage().setBody(List.of(
                Map.of("fname", "get_count", "item_type", "Gallery"),
                Map.of("fname", "get_item", "item_id", 0))));

        JsonNode results = reply.getMessage().getBody(JsonNode.class);
        assertThat(results.path(0).path("data").path("count").asInt()).isEqualTo(40);
        assertThat(results.path(1).path("error").path("code").asInt()).isEqualTo(404);
        assertThat(reply.getMessage().getHeader(HpxConstants.BATCH_FAILURES, Integer.class)).isEqualTo(1);
    }

    @Test
    void outputClassBindsTheDataToTheApplicationsRecord() {
        assertThat(template.requestBody("direct:count", (Object) null)).isEqualTo(new GalleryCount(40));
    }

    @Test
    void aRefusedCallFailsTheExchangeWithItsHpxCode() {
        assertThatThrownBy(() -> template.requestBody("direct:missing", (Object) null))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(HpxFunctionException.class)
                .hasMessageContaining("404");
    }

    @Test
    void theHealthChecksReportTheServerUp() {
        template.requestBody("direct:version", (Object) null); // a producer that has called, whose check is then UP

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            // "full": every check's result, not only the DOWN ones
            Collection<HealthCheck.Result> all = HealthCheckHelper.invoke(context, "full");
            List<HealthCheck.Result> hpxChecks = all.stream()
                    .filter(result -> result.getDetails().containsKey("hpx.server"))
                    .toList();
            assertThat(hpxChecks).as("hpx checks among %s", all.stream().map(r -> r.getCheck().getId()).toList())
                    .extracting(result -> result.getCheck().getId())
                    .contains("consumer:broadcasts")
                    .anyMatch(id -> id.startsWith("producer:hpx-"));
            assertThat(hpxChecks).allSatisfy(result -> {
                assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
                assertThat(result.getDetails()).containsEntry("hpx.server", server.host() + ":" + server.port());
            });
        });
    }

    @Test
    void theBroadcastConsumerReceivesARestartAndReconnects() {
        int before = broadcasts.all().size();
        server.restart();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(broadcasts.all()).hasSizeGreaterThan(before).last().isEqualTo("ServerRestart"));
        // after the restart the routes still work: the session is renewed
        assertThat(template.requestBody("direct:version", (Object) null, JsonNode.class).path("core").toString())
                .isEqualTo("[0,3,0]");
    }
}
