package io.github.camelhpx.springboot;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.component.HpxComponent;
import io.github.camelhpx.component.HpxConfiguration;
import io.github.camelhpx.component.HpxConstants;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a Spring Boot application against the embedded HPX server: the properties configure the
 * component, a route calls the server, Camel's health checks (with the hpx ones) show in Actuator's health
 * endpoint, and the password shows nowhere.
 */
@SpringBootTest(classes = HpxSpringBootTest.TestApplication.class, properties = {
        "camel.main.name=hpx-starter-test",
        "camel.component.hpx.client-name=spring-boot-test",
        "camel.component.hpx.request-timeout=5s",
        "camel.component.hpx.pool-size=2",
        "camel.component.hpx.max-message-size=8MB",
        // producer health checks are off in Camel by default
        "camel.health.producers-enabled=true",
        "camel.health.exposure-level=full",
        "management.endpoint.health.show-details=always",
        "management.endpoint.env.show-values=always",
        "management.endpoints.web.exposure.include=health,env" })
@ExtendWith(OutputCaptureExtension.class)
class HpxSpringBootTest {

    private static final String USER = "bob";
    private static final String PASSWORD = "s3cret-Pa55word";
    private static HpxTestServer server;

    @DynamicPropertySource
    static void hpxServer(DynamicPropertyRegistry registry) {
        server = HpxTestServer.builder()
                .serverName("starter_test")
                .guestsAllowed(false)
                .user(USER, PASSWORD)
                .library(SampleLibrary.galleries(10))
                .build().start();
        registry.add("camel.component.hpx.host", server::host);
        registry.add("camel.component.hpx.port", server::port);
        registry.add("camel.component.hpx.user", () -> USER);
        registry.add("camel.component.hpx.password", () -> PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate template;
    @Autowired
    HealthEndpoint healthEndpoint;
    @Autowired
    EnvironmentEndpoint environmentEndpoint;

    @Test
    void propertiesConfigureTheComponent() {
        HpxConfiguration configuration = camelContext.getComponent("hpx", HpxComponent.class).getConfiguration();
        assertThat(configuration.getHost()).isEqualTo(server.host());
        assertThat(configuration.getPort()).isEqualTo(server.port());
        assertThat(configuration.getUser()).isEqualTo(USER);
        assertThat(configuration.getPassword()).isEqualTo(PASSWORD);
        assertThat(configuration.getClientName()).isEqualTo("spring-boot-test");
        assertThat(configuration.getRequestTimeout()).isEqualTo(Duration.ofSeconds(5).toMillis());
        assertThat(configuration.getPoolSize()).isEqualTo(2);
        assertThat(configuration.getMaxMessageSize()).isEqualTo(8L * 1024 * 1024);
        // not set: the component's own defaults
        assertThat(configuration.getConnectTimeout()).isEqualTo(10_000);
        assertThat(configuration.getCompressionLevel()).isEqualTo(5);
    }

    @Test
    void routesCallTheServer() {
        Exchange version = template.request("direct:version", e -> { });
        assertThat(version.getException()).isNull();
        assertThat(version.getMessage().getBody(JsonNode.class).path("core").isArray()).isTrue();
        assertThat(version.getMessage().getHeader(HpxConstants.SERVER_NAME)).isEqualTo("starter_test");
        assertThat(version.getMessage().getHeader(HpxConstants.SESSION_ID, String.class)).hasSize(32);

        JsonNode galleries = template.requestBody("direct:galleries", null, JsonNode.class);
        assertThat(galleries.size()).isEqualTo(2);

        assertThat(server.receivedMessages()).isNotEmpty();
    }

    @Test
    void camelHealthChecksShowInActuatorHealth() {
        template.requestBody("direct:version", null, JsonNode.class); // the producer exists and has talked to HPX

        Collection<HealthCheck.Result> camelChecks = HealthCheckHelper.invoke(camelContext);
        assertThat(camelChecks).extracting(r -> r.getCheck().getId()).contains("context");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CompositeHealthDescriptor health = (CompositeHealthDescriptor) healthEndpoint.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            IndicatedHealthDescriptor camel = (IndicatedHealthDescriptor) health.getComponents().get("camelHealth");
            assertThat(camel).as("camelHealth in " + health.getComponents().keySet()).isNotNull();
            assertThat(camel.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> details = camel.getDetails();
            // every check of Camel's registry, the hpx component's among them, is in Actuator's answer, keyed by its id
            for (HealthCheck.Result check : HealthCheckHelper.invoke(camelContext)) {
                assertThat(details).as("actuator health details").containsEntry(check.getCheck().getId(), "UP");
            }
            assertThat(details).containsKeys("context", "route:version", "consumer:version");
            // the hpx component's own: one per producer, naming the server and no credential
            Map<String, Object> producers = new TreeMap<>(details);
            producers.keySet().removeIf(id -> !id.startsWith("producer:hpx-"));
            assertThat(producers).as("hpx producer checks in " + details.keySet()).isNotEmpty();
            producers.forEach((id, state) -> {
                if (id.endsWith(".data")) {
                    assertThat(((Map<?, ?>) state).get("hpx.server")).isEqualTo(server.host() + ":" + server.port());
                    assertThat(state.toString()).doesNotContain(PASSWORD);
                } else {
                    assertThat(state).isEqualTo("UP");
                    assertThat(id).doesNotContain(PASSWORD);
                }
            });
        });
    }

    @Test
    void thePasswordIsMaskedAndNeverLogged(CapturedOutput output) {
        template.requestBody("direct:version", null, JsonNode.class);

        Object shown = environmentEndpoint.environmentEntry("camel.component.hpx.password").getProperty().getValue();
        assertThat(shown).isEqualTo("******");
        assertThat(environmentEndpoint.environmentEntry("camel.component.hpx.user").getProperty().getValue())
                .isEqualTo(USER);
        assertThat(output.getAll()).contains("get_version replied").doesNotContain(PASSWORD);
        assertThat(camelContext.getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri()).doesNotContain(PASSWORD));
    }

    @SpringBootApplication
    static class TestApplication {

        @Bean
        RouteBuilder hpxRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:version").routeId("version").to("hpx:get_version").log("get_version replied ${body}");
                    from("direct:galleries").routeId("galleries").to("hpx:get_items?arg.item_type=Gallery&arg.limit=2");
                }
            };
        }
    }
}
