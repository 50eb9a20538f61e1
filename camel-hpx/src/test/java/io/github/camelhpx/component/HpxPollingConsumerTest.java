package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxFunctionException;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code from("hpx:<function>")}: results on a schedule, notifications drained in order, failed polls survived. */
class HpxPollingConsumerTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .function(FunctionSpec.echo()));

    private final RecordingExceptionHandler recorder = new RecordingExceptionHandler();

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("recorder", recorder);
    }

    @Test
    @Tag("g1")
    void everyNotificationIsEmittedOnceAndInOrder() throws Exception {
        // A session of an earlier test may still be alive: the consumer's is the one not there before.
        Set<String> earlier = Set.copyOf(server().sessionIds());
        addRoute("hpx:get_notification?initialDelay=0&delay=20", "notifications");
        await().until(() -> newSession(earlier) != null);
        String session = newSession(earlier);

        // Pushed while the consumer polls, so that some arrive in the middle of a drain.
        List<Integer> pushed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pushed.add(server().pushNotificationToAll("Notice " + i, "body " + i));
        }

        MockEndpoint notifications = getMockEndpoint("mock:notifications");
        await().until(() -> notifications.getReceivedCounter() == pushed.size());
        await().during(Duration.ofMillis(300)).until(() -> notifications.getReceivedCounter() == pushed.size());
        assertThat(notifications.getReceivedExchanges())
                .extracting(exchange -> exchange.getMessage().getBody(JsonNode.class).path("id").intValue())
                .containsExactlyElementsOf(pushed);
        assertThat(notifications.getReceivedExchanges().get(0).getMessage().getHeaders())
                .containsEntry(HpxConstants.CALLED_FUNCTION, "get_notification")
                .containsEntry(HpxConstants.SESSION_ID, session)
                .containsEntry(HpxConstants.SERVER_NAME, server().serverName());
    }

    @Test
    @Tag("g1")
    void aPollEmitsAtMostMaxMessagesPerPoll() throws Exception {
        // A producer of the same session logs in, so that notifications can be queued before the first poll.
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:login").to("hpx:get_version");
                from("hpx:get_notification?initialDelay=0&delay=1h&maxMessagesPerPoll=2").routeId("notifications")
                        .autoStartup(false).to("mock:notifications");
            }
        });
        template.request("direct:login", null);
        List<Integer> pushed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pushed.add(server().pushNotificationToAll("Notice " + i, "body " + i));
        }

        context.getRouteController().startRoute("notifications");

        MockEndpoint notifications = getMockEndpoint("mock:notifications");
        await().until(() -> notifications.getReceivedCounter() == 2);
        await().during(Duration.ofMillis(300)).until(() -> notifications.getReceivedCounter() == 2);
        assertThat(notifications.getReceivedExchanges())
                .extracting(exchange -> exchange.getMessage().getBody(JsonNode.class).path("id").intValue())
                .containsExactlyElementsOf(pushed.subList(0, 2));
    }

    @Test
    @Tag("g1")
    void aNotificationFetchedWhileTheContextStopsIsStillDelivered() throws Exception {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:login").to("hpx:get_version");
                from("hpx:get_notification?initialDelay=0&delay=1h").routeId("notifications").autoStartup(false)
                        .process(e -> delivered.add(e.getMessage().getBody(JsonNode.class).path("id").intValue()));
            }
        });
        template.request("direct:login", null);
        int pushed = server().pushNotificationToAll("Notice", "taken off the queue as the context stops");
        // The server dequeues the notification at once but answers late: the stop comes in the middle of the call
        // (with time to spare on a loaded machine; the stop waits for the call anyway).
        server().faults().nextReply(Fault.delay(Duration.ofMillis(2000)));

        context.getRouteController().startRoute("notifications");
        await().until(() -> server().receivedMessages().stream()
                .anyMatch(m -> m.data() != null && m.data().toString().contains("get_notification")));
        context.stop();

        assertThat(delivered).containsExactly(pushed);
    }

    @Test
    @Tag("g2")
    void aG2FunctionIsPolledOnScheduleWithTheSessionAndServerHeaders() throws Exception {
        // G2 has no notifications to drain; get_user, G2 only, is one object per poll.
        try (HpxTestServer g2 = HpxTestServer.builder().protocol(Protocol.G2).serverName("polled_g2_server").build().start()) {
            addRoute("hpx:get_user?initialDelay=0&delay=20&" + at(g2), "user");

            MockEndpoint user = getMockEndpoint("mock:user");
            await().until(() -> user.getReceivedCounter() >= 3);
            assertThat(g2.sessionIds()).hasSize(1);
            assertThat(user.getReceivedExchanges()).allSatisfy(exchange -> {
                assertThat(exchange.getMessage().getBody(JsonNode.class).path("name").asText()).isEqualTo("guest");
                assertThat(exchange.getMessage().getHeaders())
                        .containsEntry(HpxConstants.CALLED_FUNCTION, "get_user")
                        .containsEntry(HpxConstants.SESSION_ID, g2.sessionIds().iterator().next())
                        .containsEntry(HpxConstants.SERVER_NAME, "polled_g2_server");
            });
            context.getRouteController().stopRoute("user");
        }
    }

    /** As a producer's bound call fails: typed, so that an onException or a handler for HPX errors sees it. */
    @Test
    void dataThatDoesNotFitTheOutputClassIsAProtocolErrorForTheExceptionHandler() throws Exception {
        addRoute("hpx:echo?arg.value=polled&outputClass=java.lang.Integer&initialDelay=0&delay=1h"
                + "&exceptionHandler=#recorder", "typed");

        await().until(() -> !recorder.handled().isEmpty());
        assertThat(recorder.handled()).singleElement().isInstanceOf(HpxProtocolException.class).asString()
                .contains("HPX reply data of 'echo' cannot be read as [simple type, class java.lang.Integer]");
    }

    @Test
    void aFailedPollGoesToTheExceptionHandlerAndTheNextPollSucceeds() throws Exception {
        server().faults().nextReply(Fault.garbage());
        addRoute("hpx:echo?arg.value=polled&initialDelay=0&delay=20&exceptionHandler=#recorder", "echo");

        MockEndpoint echo = getMockEndpoint("mock:echo");
        await().until(() -> echo.getReceivedCounter() >= 2);
        assertThat(recorder.handled()).singleElement().isInstanceOf(HpxException.class);
        assertThat(recorder.messages()).singleElement().asString().startsWith("Failed polling endpoint");
        assertThat(echo.getReceivedExchanges().get(0).getMessage().getBody(JsonNode.class).textValue())
                .isEqualTo("polled");
    }

    @Test
    void pollsThatKeepFailingReachTheRoutesErrorHandlerWithBridgeErrorHandler() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(HpxFunctionException.class).handled(true).to("mock:errors");
                from("hpx:get_item?arg.item_id=0&initialDelay=0&delay=20&bridgeErrorHandler=true").routeId("refused")
                        .to("mock:items");
            }
        });

        MockEndpoint errors = getMockEndpoint("mock:errors");
        await().until(() -> errors.getReceivedCounter() >= 3);
        assertThat(errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(HpxFunctionException.class);
        assertThat(getMockEndpoint("mock:items").getReceivedCounter()).isZero();
    }

    @Test
    void nullAndEmptyResultsAreNothingAndAListIsOneExchange() throws Exception {
        // Each echo returns its argument, written in the URI as a JSON literal.
        Map<String, String> nothing = Map.of("null", "null", "empty-text", "RAW(\"\")", "empty-list", "RAW([])",
                "empty-object", "RAW({})");
        Map<String, String> something = Map.of("zero", "0", "false", "false", "list", "RAW([1,2,3])");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                nothing.forEach((id, value) -> from(echo(value)).routeId(id).to("mock:nothing"));
                something.forEach((id, value) -> from(echo(value)).routeId(id).to("mock:" + id));
            }
        });

        await().until(() -> nothing.keySet().stream().allMatch(id -> polls(id) >= 3)
                            && something.keySet().stream().allMatch(id -> polls(id) >= 3));
        assertThat(getMockEndpoint("mock:nothing").getReceivedCounter()).isZero();
        assertThat(body("zero").isInt()).isTrue();
        assertThat(body("false").isBoolean()).isTrue();
        assertThat(body("list")).hasSize(3);
        assertThat(getMockEndpoint("mock:list").getReceivedExchanges())
                .allSatisfy(exchange -> assertThat(exchange.getMessage().getBody(JsonNode.class).isArray()).isTrue());
    }

    private static String echo(String value) {
        return "hpx:echo?initialDelay=0&delay=20&arg.value=" + value;
    }

    /** A session the server knows that is not in {@code earlier}, or {@code null}. */
    private String newSession(Set<String> earlier) {
        return server().sessionIds().stream().filter(id -> !earlier.contains(id)).findFirst().orElse(null);
    }

    private long polls(String routeId) {
        return ((ScheduledPollConsumer) context.getRoute(routeId).getConsumer()).getCounter();
    }

    private JsonNode body(String routeId) {
        return getMockEndpoint("mock:" + routeId).getReceivedExchanges().get(0).getMessage().getBody(JsonNode.class);
    }

    private void addRoute(String from, String id) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId(id).to("mock:" + id);
            }
        });
    }
}
