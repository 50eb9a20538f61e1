package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxFunctionException;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.SampleLibrary;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hpx-sink and hpx-source Kamelets of the component's jar, found by Camel's Kamelet component on the class
 * path, against the embedded server: calls, failures, polled notifications, broadcasts, and a password that is
 * a placeholder in the route and shows neither in the logs nor in the endpoints' URIs.
 */
class HpxKameletTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "k4melet-pa55-never-shown";
    private static final String SERVER = "host={{hpx.host}}&port={{hpx.port}}&user=bob&password={{hpx.password}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD)
            .library(SampleLibrary.galleries(40)));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().addInitialProperty("hpx.host", server().host());
        context.getPropertiesComponent().addInitialProperty("hpx.port", String.valueOf(server().port()));
        context.getPropertiesComponent().addInitialProperty("hpx.password", PASSWORD);
        return context;
    }

    @Test
    void theSinkCallsTheFunctionWithTheBodyAsArgumentsAndRepliesWithJsonText() throws Exception {
        String shown;
        Object reply;
        // INFO: at DEBUG, Camel's own placeholder resolution prints the values it resolves, whatever the component.
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            addRoute("direct:count", "kamelet:hpx-sink?" + SERVER + "&function=get_count");
            reply = template.requestBody("direct:count", "{\"item_type\": \"Gallery\"}");
            shown = logs.text() + context.getEndpoints();
        }
        assertThat(reply).isInstanceOf(String.class);
        assertThat(JSON.readTree((String) reply).path("count").intValue()).isEqualTo(40);
        assertThat(shown).contains("hpx-sink").doesNotContain(PASSWORD);
    }

    @Test
    void aFunctionThatFailsFailsTheExchangeWithItsHpxError() throws Exception {
        addRoute("direct:item", "kamelet:hpx-sink?" + SERVER + "&function=get_item");

        Exchange exchange = template.request("direct:item", e -> e.getMessage().setBody("{\"item_id\": 0}"));

        assertThat(exchange.getException()).isInstanceOf(HpxFunctionException.class);
        assertThat(((HpxFunctionException) exchange.getException()).getCode()).isEqualTo(404);
    }

    // Notifications are an HPX 0.x (G1) function.
    @Tag("g1")
    @Test
    void theSourcePollsAFunctionAndEmitsEachNotificationOnceInOrder() throws Exception {
        // A session of an earlier test may still be alive: the source's is one not there before.
        Set<String> earlier = Set.copyOf(server().sessionIds());
        addRoute("kamelet:hpx-source?" + SERVER + "&function=get_notification&delay=20", "mock:notifications");
        await().until(() -> !earlier.containsAll(server().sessionIds()));

        List<Integer> pushed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pushed.add(server().pushNotificationToAll("Notice " + i, "body " + i));
        }

        MockEndpoint notifications = getMockEndpoint("mock:notifications");
        await().until(() -> notifications.getReceivedCounter() == pushed.size());
        await().during(Duration.ofMillis(200)).until(() -> notifications.getReceivedCounter() == pushed.size());
        List<Integer> ids = new ArrayList<>();
        for (Exchange exchange : notifications.getReceivedExchanges()) {
            ids.add(JSON.readTree(exchange.getMessage().getBody(String.class)).path("id").intValue());
            assertThat(exchange.getMessage().getBody()).isInstanceOf(String.class);
        }
        assertThat(ids).containsExactlyElementsOf(pushed);
    }

    @Test
    void theSourceEmitsTheServersBroadcastsByDefault() throws Exception {
        addRoute("kamelet:hpx-source?" + SERVER, "mock:broadcasts");
        // The Kamelet's route, with the consumer, is one of the context's.
        await().until(() -> context.getRoutes().stream().map(Route::getConsumer)
                .anyMatch(consumer -> consumer instanceof HpxBroadcastConsumer broadcast && broadcast.isConnected()));

        server().broadcast(2);

        MockEndpoint broadcasts = getMockEndpoint("mock:broadcasts");
        await().until(() -> broadcasts.getReceivedCounter() == 1);
        await().during(Duration.ofMillis(200)).until(() -> broadcasts.getReceivedCounter() == 1);
        Exchange broadcast = broadcasts.getReceivedExchanges().get(0);
        assertThat(broadcast.getMessage().getHeader(HpxConstants.BROADCAST)).isEqualTo("ServerRestart");
        assertThat(broadcast.getMessage().getBody()).isEqualTo("2");
    }

    private void addRoute(String from, String to) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
    }
}
