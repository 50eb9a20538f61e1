package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxCommandException;
import io.github.camelhpx.client.HpxCommandTimeoutException;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** awaitCommand follows an asynchronous HPX command to its end, reports progress, and stops what it gives up on. */
class HpxAwaitCommandTest extends HpxCamelTestSupport {

    // For the one test whose function replies only once the test lets it.
    private static final CountDownLatch HELD = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final CompletableFuture<String> STARTED = new CompletableFuture<>();

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .function(FunctionSpec.of("long_task").param("millis").param("fail", false).handler(call -> call
                    .startCommand("Long task", Duration.ofMillis(call.arg("millis").asLong()), Map.of("done", true),
                            call.arg("fail").asBoolean())))
            .function(FunctionSpec.of("start_when_released").handler(call -> {
                HELD.countDown();
                // Bounded: a failed run must not leave the server's thread waiting for ever.
                if (!RELEASE.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                int id = call.startCommand("Held", Duration.ofSeconds(60), Map.of(), false);
                STARTED.complete(String.valueOf(id));
                return id;
            }))
            .function(FunctionSpec.of("scan_like").handler(call -> Map.of(
                    "command_id", call.startCommand("Scan", Duration.ofMillis(100), List.of("a", "b"), false),
                    "view_id", 1))));

    private HpxClient observer;

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @BeforeEach
    void openObserver() {
        observer = HpxClient.builder().host(server().host()).port(server().port()).build();
    }

    @AfterEach
    void closeObserver() {
        observer.close();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:await").routeId("await")
                        .to("hpx:long_task?awaitCommand=true&commandPollInterval=50&commandTimeout=5s"
                            + "&commandProgressUri=mock:progress");
                from("direct:short").to("hpx:long_task?awaitCommand=true&commandPollInterval=50&commandTimeout=2000");
                from("direct:scan").to("hpx:scan_like?awaitCommand=true&commandPollInterval=50");
                from("direct:noCommand").to("hpx:get_version?awaitCommand=true");
                from("direct:typed").to("hpx:long_task?awaitCommand=true&commandPollInterval=50"
                        + "&outputClass=java.lang.Integer");
                from("direct:threads").onException(Exception.class)
                        .process(e -> e.setProperty("failedOn", Thread.currentThread().getName())).end()
                        .to("hpx:long_task?awaitCommand=true&commandPollInterval=50&commandTimeout=5s");
            }
        };
    }

    @Test
    void theBodyIsTheCommandsValueAndProgressIsReported() throws Exception {
        MockEndpoint progress = getMockEndpoint("mock:progress");
        progress.expectedMinimumMessageCount(1);

        // Long enough that the first poll, however slow, still finds the command started.
        Exchange reply = template.request("direct:await", e -> e.getMessage().setBody(Map.of("millis", 2000)));

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).toString()).isEqualTo("{\"done\":true}");
        String commandId = reply.getMessage().getHeader(HpxConstants.COMMAND_ID, String.class);
        assertThat(Long.parseLong(commandId)).isGreaterThanOrEqualTo(100);
        assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_STATE)).isEqualTo("finished");
        progress.assertIsSatisfied();
        Exchange first = progress.getExchanges().get(0);
        assertThat(first.getMessage().getHeader(HpxConstants.COMMAND_ID)).isEqualTo(commandId);
        assertThat(first.getMessage().getHeader(HpxConstants.COMMAND_STATE)).isEqualTo("started");
        assertThat(first.getMessage().getBody(JsonNode.class).get("title").asText()).isEqualTo("Long task");
        assertThat(first.getProperty(Exchange.CORRELATION_ID)).isEqualTo(reply.getExchangeId());
        // Only real progress: never the empty snapshot of a command still queued, and its state always a name.
        assertThat(progress.getExchanges()).allSatisfy(sent -> {
            assertThat(sent.getMessage().getBody(JsonNode.class).isObject()).isTrue();
            assertThat(sent.getMessage().getHeader(HpxConstants.COMMAND_STATE, String.class)).matches("[a-z_]+");
        });
    }

    /**
     * More commands followed at once than Camel's default queue of 1,000 tasks holds: each keeps its timeout and its
     * next poll scheduled. Every one ends with its value; past 500 they failed with a RejectedExecutionException before,
     * their commands left running.
     */
    @Test
    void moreThanFiveHundredCommandsAwaitedAtOnceAllEnd() throws Exception {
        AsyncProducer producer = context.getEndpoint("hpx:long_task?awaitCommand=true&commandPollInterval=1000"
                                                     + "&commandTimeout=30s&requestTimeout=30s").createAsyncProducer();
        producer.start();
        try {
            List<CompletableFuture<Exchange>> replies = new ArrayList<>();
            for (int i = 0; i < 520; i++) {
                Exchange exchange = new DefaultExchange(context);
                // Long enough that all of them run at once
                exchange.getMessage().setBody(Map.of("millis", 3000));
                replies.add(producer.processAsync(exchange));
            }

            assertThat(CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))).succeedsWithin(Duration.ofSeconds(40));
            assertThat(replies).allSatisfy(reply -> {
                assertThat(reply.join().getException()).isNull();
                assertThat(reply.join().getMessage().getBody(JsonNode.class).toString()).isEqualTo("{\"done\":true}");
            });
        } finally {
            producer.stop();
        }
    }

    @Test
    void aCommandIdInsideAnObjectIsAwaitedToo() {
        Exchange reply = template.request("direct:scan", null);

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(JsonNode.class).toString()).isEqualTo("[\"a\",\"b\"]");
    }

    /** As a bound call fails: typed, so that an onException for HPX errors sees it. */
    @Test
    void aValueThatDoesNotFitTheOutputClassIsAProtocolError() {
        Exchange reply = template.request("direct:typed", e -> e.getMessage().setBody(Map.of("millis", 100)));

        assertThat(reply.getException()).isInstanceOf(HpxProtocolException.class)
                .hasMessageStartingWith("HPX reply data of 'long_task' cannot be read as [simple type, class "
                        + "java.lang.Integer]");
    }

    @Test
    void aFailedCommandIsAnHpxCommandException() {
        Exchange reply = template.request("direct:await", e -> e.getMessage().setBody(Map.of("millis", 100, "fail", true)));

        assertThat(reply.getException()).isInstanceOf(HpxCommandException.class);
        assertThat(((HpxCommandException) reply.getException()).getCode()).isEqualTo(120);
        assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_STATE)).isEqualTo("failed");
    }

    @Test
    void aCommandThatOutlastsTheTimeoutIsStoppedAndTheExchangeTimesOut() {
        Exchange reply = template.request("direct:short", e -> e.getMessage().setBody(Map.of("millis", 60_000)));

        assertThat(reply.getException()).isInstanceOf(ExchangeTimedOutException.class);
        assertThat(((ExchangeTimedOutException) reply.getException()).getTimeout()).isEqualTo(2000);
        HpxCommandTimeoutException cause = (HpxCommandTimeoutException) reply.getException().getCause();
        assertThat(isStopped(cause.getCommandId())).isTrue();
        assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_ID)).isEqualTo(cause.getCommandId());
        // The state it was in when the wait gave up, a name in both generations (G2 sends Started as 3).
        assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_STATE)).isEqualTo("started");
        assertThat(cause).hasMessageContaining("(last state started)");
    }

    @Test
    void anAwaitedExchangeGoesOnOffTheThreadThatPollsEveryCommand() throws Exception {
        // A poll that fails at once ends the wait on the polling thread: G2 tries its connect there.
        CompletableFuture<Exchange> reply = template.asyncSend("direct:threads",
                e -> e.getMessage().setBody(Map.of("millis", 60_000)));
        await().until(() -> server().receivedMessages().stream()
                .anyMatch(m -> m.data() != null && m.data().toString().contains("get_command_state")));
        try {
            server().quit();

            Exchange failed = reply.get(10, TimeUnit.SECONDS);
            assertThat(failed.getException()).isNotNull();
            assertThat(failed.getProperty("failedOn", String.class)).isNotNull().doesNotContain("HpxCommandPoller");
        } finally {
            server().start();
        }
    }

    @Test
    void stoppingTheRouteStopsTheCommandOnTheServer() throws Exception {
        MockEndpoint progress = getMockEndpoint("mock:progress");
        progress.expectedMinimumMessageCount(1);
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);

        CompletableFuture<Exchange> pending = template.asyncSend("direct:await",
                e -> e.getMessage().setBody(Map.of("millis", 60_000)));
        progress.assertIsSatisfied();
        String commandId = progress.getExchanges().get(0).getMessage().getHeader(HpxConstants.COMMAND_ID, String.class);
        context.getRouteController().stopRoute("await");

        Exchange reply = pending.get(10, TimeUnit.SECONDS);
        assertThat(reply.getException()).isInstanceOf(CancellationException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> isStopped(commandId));
    }

    /**
     * A producer stopped while a call's reply is on its way (a forced shutdown), holding the only lease on its client:
     * its stop waits for the reply and stops the command it started before the client closes. Before, the client
     * closed first: the exchange failed as closed, and the command ran on.
     */
    @Test
    void aCommandStartedByAReplyThatComesWhileTheProducerStopsIsStoppedBeforeItsClientCloses() throws Exception {
        AsyncProducer producer = context.getEndpoint("hpx:start_when_released?awaitCommand=true&commandPollInterval=50"
                                                     + "&clientName=alone").createAsyncProducer();
        producer.start();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(Map.of());
        CompletableFuture<Exchange> pending = producer.processAsync(exchange);
        assertThat(HELD.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(producer::stop);
        await().until(() -> ((ServiceSupport) producer).isStoppingOrStopped());
        RELEASE.countDown();

        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10));
        Exchange reply = pending.get(10, TimeUnit.SECONDS);
        String commandId = STARTED.get(10, TimeUnit.SECONDS);
        assertThat(reply.getException()).isInstanceOf(CancellationException.class)
                .hasMessage("HPX command " + commandId + " was stopped: the producer stopped before it could be awaited");
        assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_ID)).isEqualTo(commandId);
        await().atMost(Duration.ofSeconds(5)).until(() -> isStopped(commandId));
    }

    /**
     * A stop on a thread that is interrupted waits for no command's stop, and goes on: the producer lets go of its
     * client, which ends the wait, and the thread stays interrupted. Before, the interrupt ended the stop there, and the
     * producer kept its client open for ever.
     */
    @Test
    void anInterruptedStopStillLetsGoOfTheClient() throws Exception {
        MockEndpoint progress = getMockEndpoint("mock:interruptedProgress");
        progress.expectedMinimumMessageCount(1);
        AsyncProducer producer = context.getEndpoint("hpx:long_task?awaitCommand=true&commandPollInterval=50"
                                                     + "&commandProgressUri=mock:interruptedProgress"
                                                     + "&clientName=interrupted").createAsyncProducer();
        producer.start();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(Map.of("millis", 60_000));
        CompletableFuture<Exchange> pending = producer.processAsync(exchange);
        progress.assertIsSatisfied();
        HpxComponent component = context.getComponent("hpx", HpxComponent.class);
        assertThat(component.openClients().keySet()).anyMatch(key -> "interrupted".equals(key.clientName()));

        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                producer.stop();
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                stillInterrupted.completeExceptionally(e);
            }
        });
        stopper.start();

        assertThat(stillInterrupted).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
        assertThat(component.openClients().keySet()).noneMatch(key -> "interrupted".equals(key.clientName()));
        assertThat(pending.get(10, TimeUnit.SECONDS).getException()).isInstanceOf(CancellationException.class);
    }

    @Test
    void awaitingAFunctionThatStartsNoCommandIsAnError() {
        Exchange reply = template.request("direct:noCommand", null);

        assertThat(reply.getException()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HPX function 'get_version' returned no command id to await but OBJECT");
    }

    /**
     * A commandTimeout of 0 (taken for "no timeout", say) fails the route's start, and so does a poll interval that
     * is not positive: found per exchange, they failed only after the function had started its command, which then ran
     * on the server with no one to follow or stop it.
     */
    @ParameterizedTest
    // The last: 100 years (of 365 days) and a millisecond, longer than a deadline in nanoseconds may reach.
    @ValueSource(strings = {"commandTimeout=0", "commandTimeout=-5", "commandPollInterval=0",
        "commandTimeout=3153600000001"})
    void aCommandTimingThatIsNotPositiveOrTooLongFailsTheRoutesStartBeforeAnyCommandRuns(String timing) {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:noTimeout").to("hpx:long_task?awaitCommand=true&" + timing);
            }
        })).hasStackTraceContaining("awaitCommand needs a commandTimeout and a commandPollInterval from 1 ms to 100 years");
    }

    /** A progress URI no component answers fails the route's start, rather than dropping every snapshot later. */
    @Test
    void aProgressUriNoComponentAnswersFailsTheRoutesStart() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:lostProgress").to("hpx:long_task?awaitCommand=true&commandProgressUri=nosuch:progress");
            }
        })).hasStackTraceContaining("nosuch://progress");
    }

    @Test
    @Tag("g2")
    void aG2CommandWithAStringIdIsAwaitedToo() throws Exception {
        try (HpxTestServer g2 = HpxTestServer.builder().protocol(Protocol.G2).commandDuration(Duration.ofMillis(300))
                .build().start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:reindex").to("hpx:reindex?awaitCommand=true&commandPollInterval=50&commandTimeout=5s&"
                                              + at(g2));
                }
            });

            Exchange reply = template.request("direct:reindex", null);

            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(JsonNode.class).toString()).isEqualTo("{\"status\":true}");
            assertThat(reply.getMessage().getHeader(HpxConstants.COMMAND_STATE)).isEqualTo("finished");
            String commandId = reply.getMessage().getHeader(HpxConstants.COMMAND_ID, String.class);
            assertThat(commandId).matches("[0-9]+");
            assertThat(Long.parseLong(commandId)).isGreaterThanOrEqualTo(100);
            try (HpxClient client = HpxClient.builder().host(g2.host()).port(g2.port()).build()) {
                // G2 numbers the states: Finished = 4.
                assertThat(client.call("get_command_state", Map.of("command_ids", List.of(commandId)))
                        .get(commandId).intValue()).isEqualTo(4);
            }
        }
    }

    /** Whether the server says the command is stopped: G1 names the state, G2 numbers it (Stopped = 5). */
    private boolean isStopped(String commandId) {
        // Sent back as the server gave it: an integer in G1, a string in G2.
        Object wire = protocol() == Protocol.G1 ? Long.valueOf(commandId) : commandId;
        JsonNode state = observer.call("get_command_state", Map.of("command_ids", List.of(wire))).get(commandId);
        return protocol() == Protocol.G1 ? "stopped".equals(state.asText()) : state.isInt() && state.intValue() == 5;
    }
}
