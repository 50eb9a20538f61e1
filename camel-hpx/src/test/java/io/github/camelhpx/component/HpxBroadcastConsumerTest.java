package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code from("hpx:broadcast")}: every broadcast once, whichever connection of the session reads it; the server
 * going away and coming back, announced or not; back-off, reporting, and a stop that leaves nothing behind.
 */
class HpxBroadcastConsumerTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "s3cret-of-bob";
    private static final Pattern RETRY_DELAY = Pattern.compile("(?:reconnecting|next attempt) in (\\d+) ms");

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    private final RecordingExceptionHandler recorder = new RecordingExceptionHandler();
    private Set<String> earlierSessions;

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setUser("bob");
        hpx.setPassword(PASSWORD);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("recorder", recorder);
    }

    @Test
    void aBroadcastArrivesOnceWhileAProducerOfTheSameSessionWaitsForItsReply() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:version").to("hpx:get_version");
            }
        });
        startBroadcastRoute("hpx:broadcast");
        // Connected only once the watch's own get_version check is answered: it can neither be counted below nor
        // take the delay.
        HpxBroadcastConsumer consumer = (HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer();
        await().until(consumer::isConnected);
        long before = versionCalls();
        // Within the 5 s request timeout, and long enough for the broadcast to arrive while the call waits.
        server().faults().nextReply(Fault.delay(Duration.ofSeconds(3)));
        CompletableFuture<Exchange> call = template.asyncSend("direct:version", exchange -> { });
        await().until(() -> versionCalls() == before + 1);

        // Sent on both connections of the session, the watch's and the one the call waits on; the server keeps
        // them open.
        server().broadcast(2);

        await().until(() -> broadcasts().getReceivedCounter() == 1);
        assertThat(call).isNotDone();
        Exchange reply = call.get();
        assertThat(reply.getException()).isNull();
        await().during(Duration.ofMillis(500)).until(() -> broadcasts().getReceivedCounter() == 1);
        Message broadcast = broadcasts().getReceivedExchanges().get(0).getMessage();
        assertThat(broadcast.getHeader(HpxConstants.BROADCAST)).isEqualTo("ServerRestart");
        assertThat(broadcast.getBody(JsonNode.class).intValue()).isEqualTo(2);
        assertThat(broadcast.getHeader(HpxConstants.SERVER_NAME)).isEqualTo(server().serverName());
        assertThat(broadcast.getHeader(HpxConstants.SERVER)).isEqualTo(server().host() + ":" + server().port());
        assertThat(broadcast.getHeader(HpxConstants.PROTOCOL)).isEqualTo(protocol().name());
        assertThat(broadcast.getHeader(HpxConstants.SESSION_ID))
                .isEqualTo(reply.getMessage().getHeader(HpxConstants.SESSION_ID))
                .isIn(server().sessionIds());
    }

    @Test
    void afterARestartItReconnectsInANewSessionAndReceivesTheNextBroadcast() throws Exception {
        startBroadcastRoute("hpx:broadcast?reconnectDelay=50");
        awaitConnected("broadcasts");
        Set<String> first = newSessions();
        HpxBroadcastConsumer consumer = (HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer();

        server().restart();
        // Listening again, not only logged in: a broadcast sent before that may not be heard.
        await().until(() -> consumer.getReconnects() == 1 && consumer.isConnected());
        server().restart();

        await().until(() -> broadcasts().getReceivedCounter() == 2);
        List<Message> received = broadcasts().getReceivedExchanges().stream().map(Exchange::getMessage).toList();
        assertThat(received).extracting(m -> m.getHeader(HpxConstants.BROADCAST))
                .containsExactly("ServerRestart", "ServerRestart");
        assertThat(received.get(0).getHeader(HpxConstants.SESSION_ID)).isIn(first);
        assertThat(received.get(1).getHeader(HpxConstants.SESSION_ID)).isNotIn(first);
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void aServerAwayForSecondsMeansGrowingBackOffThenRecovery() throws Exception {
        startBroadcastRoute("hpx:broadcast?reconnectDelay=100&maxReconnectDelay=1000&exceptionHandler=#recorder");
        await().until(() -> newSessions().size() == 1);
        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            server().quit();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> retryDelays(logs).stream().filter(delay -> delay == 1000).count() >= 2);
            server().start();

            await().until(() -> logs.text().contains("Reconnected to HPX server " + server().host()));
            assertThat(retryDelays(logs)).startsWith(100, 200, 400, 800, 1000, 1000);
            assertThat(logs.text()).containsOnlyOnce("announced serverquit");
        }
        server().restart();

        await().until(() -> broadcasts().getReceivedCounter() == 2);
        assertThat(broadcasts().getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(HpxConstants.BROADCAST))
                .containsExactly("ServerQuit", "ServerRestart");
        // The server said it was going: nothing to report.
        assertThat(recorder.handled()).isEmpty();
    }

    @Test
    void anUnannouncedLossIsReportedOnceThoughEveryAttemptFails() throws Exception {
        startBroadcastRoute("hpx:broadcast?reconnectDelay=50&maxReconnectDelay=100&exceptionHandler=#recorder");
        await().until(() -> newSessions().size() == 1);
        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            // A crash or a cut cable: the connections close without a broadcast.
            server().stop();
            await().until(() -> retryDelays(logs).size() >= 5);
            server().start();
            await().until(() -> logs.text().contains("Reconnected to HPX server"));
        }

        assertThat(recorder.handled()).singleElement().isInstanceOf(HpxConnectionException.class);
        assertThat(recorder.messages()).singleElement().asString()
                .contains("HPX server " + server().host() + ":" + server().port() + " cannot be reached");
        server().restart();
        await().until(() -> broadcasts().getReceivedCounter() == 1);
    }

    @Test
    void aRefusedLoginReachesTheRoutesErrorHandlerOnceWithBridgeErrorHandler() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(HpxAuthException.class).handled(true).to("mock:errors");
                from("hpx:broadcast?password=wrong-password&reconnectDelay=20&maxReconnectDelay=50"
                     + "&bridgeErrorHandler=true").routeId("broadcasts")
                        .to("mock:broadcasts");
            }
        });
        MockEndpoint errors = getMockEndpoint("mock:errors");

        await().until(() -> errors.getReceivedCounter() == 1);
        await().during(Duration.ofMillis(500)).until(() -> errors.getReceivedCounter() == 1);
        Exception error = errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(error).isInstanceOf(HpxWrongCredentialsException.class);
        assertThat(error.getMessage()).doesNotContain("wrong-password");
    }

    @Test
    void aRouteThatFailsGoesToTheExceptionHandlerAndTheNextBroadcastStillComes() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:broadcast?reconnectDelay=50&exceptionHandler=#recorder").routeId("broadcasts")
                        .process(exchange -> {
                            if (failed.compareAndSet(false, true)) {
                                throw new IllegalStateException("route fails once");
                            }
                        })
                        .to("mock:broadcasts");
            }
        });
        awaitConnected("broadcasts");
        HpxBroadcastConsumer consumer = (HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer();

        server().restart();
        // Listening again, not only logged in: a restart before that would close a connection that had not heard its
        // broadcast, an outage no broadcast announced, which goes to the exception handler.
        await().until(() -> consumer.getReconnects() == 1 && consumer.isConnected());
        server().restart();

        await().until(() -> broadcasts().getReceivedCounter() == 1);
        assertThat(recorder.handled()).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(recorder.messages()).containsExactly("Error processing exchange");
    }

    /**
     * A busy route leaves at most 1,000 broadcasts waiting; the next is logged as dropped. None runs the route on the
     * thread that read it (before, Camel's default profile did, once its queue was full: on a G2 connection's reader the
     * route's own hpx calls could not be answered).
     */
    @Test
    void atMostAThousandBroadcastsWaitForABusyRouteAndTheNextIsLoggedAsDropped() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:broadcast").routeId("broadcasts")
                        .process(exchange -> {
                            threads.add(Thread.currentThread().getName());
                            entered.countDown();
                            release.await(30, TimeUnit.SECONDS);
                        })
                        .to("mock:broadcasts");
            }
        });
        await().until(() -> newSessions().size() == 1);

        try (LogCapture logs = new LogCapture(Level.WARN); AutoCloseable released = release::countDown) {
            server().broadcast(2);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i <= HpxBroadcastConsumer.MAX_QUEUED; i++) {
                server().broadcast(2);
            }

            await().until(() -> logs.text().contains("broadcasts behind"));
            release.countDown();
            await().until(() -> broadcasts().getReceivedCounter() >= HpxBroadcastConsumer.MAX_QUEUED + 1);
            assertThat(threads).allSatisfy(name -> assertThat(name).endsWith("HpxBroadcast"));
        }
    }

    /** Camel stops a route's consumer before it waits for the exchange in flight. */
    @Test
    void aBroadcastStillQueuedWhenTheRouteStopsIsLoggedAsDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            holdABroadcastWithAnotherQueued(release);
            CompletableFuture<Void> stopping = stopBroadcastsRoute();
            release.countDown();

            stopping.get(10, TimeUnit.SECONDS);
            assertThat(broadcasts().getReceivedCounter()).isEqualTo(1);
            assertThat(logs.text()).contains("Dropping HPX broadcast SERVER_QUIT", "the consumer is stopping");
        }
    }

    /**
     * A broadcast on the route when it stops finishes within the time Camel gives the route to stop. Before, its
     * thread was interrupted after the executor manager's wait for a pool to end (10 s by default, 1 ms here).
     */
    @Test
    void aBroadcastOnTheRouteWhenItStopsFinishesWithinTheShutdownTimeout() throws Exception {
        context.getExecutorServiceManager().setShutdownAwaitTermination(1);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        startBroadcastRoute(exchange -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        server().broadcast(2);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = stopBroadcastsRoute();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !interrupted.get());
        release.countDown();

        stopping.get(10, TimeUnit.SECONDS);
        assertThat(interrupted).isFalse();
        assertThat(broadcasts().getReceivedCounter()).isEqualTo(1);
    }

    /**
     * A route that does not end within the shutdown timeout is forced to: a broadcast still queued for it is logged as
     * dropped. Before, the executor's forced shutdown took it off the queue unseen.
     */
    @Test
    void aBroadcastQueuedWhenAStopIsForcedIsLoggedAsDropped() throws Exception {
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture logs = new LogCapture(Level.WARN); AutoCloseable released = release::countDown) {
            holdABroadcastWithAnotherQueued(release);

            stopBroadcastsRoute().get(10, TimeUnit.SECONDS);

            await().until(() -> logs.text().contains("Dropping HPX broadcast SERVER_QUIT"));
            assertThat(logs.text()).contains("the route did not end within the shutdown timeout");
        }
    }

    /**
     * A consumer stopped from its own route (as a route policy that throttles does) does not wait for the broadcast
     * on that route, which is its own thread's. Before, the stop waited for it for the whole shutdown timeout (30 s
     * here).
     */
    @Test
    void aConsumerStoppedFromItsOwnRouteDoesNotWaitForItself() throws Exception {
        context.getShutdownStrategy().setTimeout(30);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        CompletableFuture<Boolean> stopped = new CompletableFuture<>();
        startBroadcastRoute(exchange -> {
            Consumer consumer = context.getRoute("broadcasts").getConsumer();
            consumer.stop();
            stopped.complete(((ServiceSupport) consumer).isStopped());
        });

        server().broadcast(2);

        assertThat(stopped).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
    }

    /**
     * A consumer stopped and started again from its own route (as a throttling route policy does) drops, and logs,
     * a broadcast that was queued before the stop: the thread that delivers from then on is the new one, which keeps
     * broadcasts in order. Before, the old thread delivered it too, beside the new one.
     */
    @Test
    void aBroadcastQueuedBeforeTheConsumerRestartsFromItsRouteIsLoggedAsDropped() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        startBroadcastRoute(exchange -> {
            if (seen.incrementAndGet() == 1) {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                Consumer consumer = context.getRoute("broadcasts").getConsumer();
                consumer.stop();
                consumer.start();
            }
        });
        // (The stop closes the connection that reads broadcasts: one not read by then would never come.)
        startWitnessRoute();

        try (LogCapture logs = new LogCapture(Level.WARN)) {
            server().broadcast(2);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // Queued behind the first, which holds the route.
            server().broadcast(1);
            await().until(() -> getMockEndpoint("mock:witness").getReceivedCounter() == 2);
            release.countDown();

            await().until(() -> logs.text().contains("the consumer stopped before its turn"));
            assertThat(seen).hasValue(1);
        }
    }

    /** A stopped consumer says so, to JMX and the dev console. Before, it said it was connected, as when it stopped. */
    @Test
    void aStoppedConsumerIsNotConnected() throws Exception {
        startBroadcastRoute("hpx:broadcast");
        awaitConnected("broadcasts");

        context.getRouteController().stopRoute("broadcasts");

        assertThat(((HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer()).isConnected()).isFalse();
    }

    @Test
    void stoppingTheRouteDuringBackOffStopsAtOnceAndLeavesNoThreadOrSocket() throws Exception {
        startBroadcastRoute("hpx:broadcast?reconnectDelay=10m&maxReconnectDelay=10m");
        await().until(() -> newSessions().size() == 1);
        server().restart();
        await().until(() -> broadcasts().getReceivedCounter() == 1);
        // The watch's thread, and the one the broadcast went through the route on.
        await().until(() -> broadcastThreads().size() == 2);

        long start = System.nanoTime();
        context.getRouteController().stopRoute("broadcasts");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(2)).until(() -> broadcastThreads().isEmpty());
        await().atMost(Duration.ofSeconds(2)).until(() -> server().openConnections() == 0);
    }

    @BeforeEach
    void rememberEarlierSessions() {
        earlierSessions = Set.copyOf(server().sessionIds());
    }

    /**
     * The sessions the server knows that it did not know when this test began. G1 forgets a session when its
     * last connection closes, so that is every session; G2 keeps those of earlier tests until they expire.
     */
    private Set<String> newSessions() {
        Set<String> sessions = new HashSet<>(server().sessionIds());
        sessions.removeAll(earlierSessions);
        return sessions;
    }

    /** Stops the route {@code broadcasts} on another thread; returns once its consumer takes no more broadcasts. */
    private CompletableFuture<Void> stopBroadcastsRoute() {
        Consumer consumer = context.getRoute("broadcasts").getConsumer();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                context.getRouteController().stopRoute("broadcasts");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> !((ServiceSupport) consumer).isRunAllowed());
        return stopping;
    }

    /** The route {@code broadcasts}, each broadcast through {@code first} to mock:broadcasts; once it is listening. */
    private void startBroadcastRoute(Processor first) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:broadcast").routeId("broadcasts").process(first).to("mock:broadcasts");
            }
        });
        await().until(() -> newSessions().size() == 1);
    }

    /**
     * Starts the broadcasts route, whose first exchange waits for {@code release}, and its witness; returns once a
     * broadcast (ServerRestart) is on the route and a second (ServerQuit) is queued behind it.
     */
    private void holdABroadcastWithAnotherQueued(CountDownLatch release) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        startBroadcastRoute(exchange -> {
            entered.countDown();
            release.await(10, TimeUnit.SECONDS);
        });
        startWitnessRoute();
        server().broadcast(2);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        server().broadcast(1);
        await().until(() -> getMockEndpoint("mock:witness").getReceivedCounter() == 2);
    }

    /**
     * A second broadcast route of the same client (reconnectDelay is the consumer's own, not the client's), whose
     * listener is called after the one of the route started before it: when it has a broadcast, that route has it
     * queued. Returns once both listen.
     */
    private void startWitnessRoute() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hpx:broadcast?reconnectDelay=999").routeId("witness").to("mock:witness");
            }
        });
        awaitConnected("broadcasts", "witness");
    }

    /**
     * Waits until the broadcast consumers of {@code routeIds} listen, each on a connection of its own: a connection
     * still opening when a broadcast comes may carry a copy the client cannot tell from a new event, and deliver twice.
     */
    private void awaitConnected(String... routeIds) {
        for (String routeId : routeIds) {
            await().until(((HpxBroadcastConsumer) context.getRoute(routeId).getConsumer())::isConnected);
        }
    }

    private void startBroadcastRoute(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("broadcasts").to("mock:broadcasts");
            }
        });
    }

    private long versionCalls() {
        return server().receivedMessages().stream()
                .filter(m -> m.data() != null && m.data().toString().contains("get_version")).count();
    }

    private MockEndpoint broadcasts() {
        return getMockEndpoint("mock:broadcasts");
    }

    /** The waits before each attempt to reconnect, in the order the consumer logged them. */
    private static List<Integer> retryDelays(LogCapture logs) {
        List<Integer> delays = new ArrayList<>();
        for (String line : logs.text().lines().filter(l -> l.contains(HpxWatchState.class.getName())).toList()) {
            Matcher m = RETRY_DELAY.matcher(line);
            if (m.find()) {
                delays.add(Integer.valueOf(m.group(1)));
            }
        }
        return delays;
    }

    private static List<String> broadcastThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains("HpxBroadcast")).toList();
    }
}
