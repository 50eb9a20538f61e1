package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxClientBusyException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxRequest;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The component's client threads: a call queued when the component stops still completes (it fails, typed),
 * a full queue rejects a call with a typed error instead of running it on the route's thread, and a G2 call that
 * waits for a request slot waits there, not on the route's thread.
 */
class HpxClientExecutorTest {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    private final CamelContext context = new DefaultCamelContext();

    {
        // An exchange left incomplete must fail the test, not hold the context's stop for the default 45 s.
        context.getShutdownStrategy().setTimeout(2);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private HpxConfiguration configuration() {
        HpxTestServer server = HPX.server();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setHost(server.host());
        hpx.setPort(server.port());
        hpx.setConnectTimeout(5_000);
        // Well above the longest delayed reply (5 s), and the call queued behind it.
        hpx.setRequestTimeout(15_000);
        return hpx;
    }

    /** A tiny {@value HpxClientRegistry#THREAD_POOL_PROFILE} profile: one thread, {@code queue} calls queued. */
    private void registerProfile(int queue, ThreadPoolRejectedPolicy policy) {
        ThreadPoolProfile profile = new ThreadPoolProfile(HpxClientRegistry.THREAD_POOL_PROFILE);
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(queue);
        profile.setRejectedPolicy(policy);
        context.getExecutorServiceManager().registerThreadPoolProfile(profile);
    }

    private void startEchoRoute() throws Exception {
        configuration();
        // Camel leaves producer checks off unless asked (camel.health.producersEnabled).
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:echo").routeId("echo").to("hpx:echo?poolSize=1");
            }
        });
        context.start();
    }

    private CompletableFuture<Exchange> echo(ProducerTemplate template, String value) {
        return template.asyncSend("direct:echo", e -> e.getMessage().setBody(Map.of("value", value)));
    }

    @Test
    void queuedCallsOfAStoppedRegistryAllCompleteTyped() throws Exception {
        registerProfile(100, ThreadPoolRejectedPolicy.Abort);
        HpxClientRegistry registry = new HpxClientRegistry();
        HpxConfiguration configuration = configuration();
        // One connection: a call failed by the close has no other open connection to be sent again on (see CloseTest).
        configuration.setPoolSize(1);
        HpxClientLease lease = registry.acquire(configuration, context);
        HpxClient client = lease.client();
        client.authenticate();
        int before = HPX.server().receivedMessages().size();
        // Longer than the wait below: the held call can only end by the close.
        HPX.server().faults().nextReply(Fault.delay(Duration.ofSeconds(10)));

        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(client.executeAsync(HpxRequest.function("echo", Map.of("value", i))));
        }
        // One G1 call in progress (G2: all in flight), the others queued behind it.
        await().until(() -> HPX.server().receivedMessages().size() > before);

        registry.closeAll();

        // Every future ends, well before any call's timeout, and with an HPX error.
        CompletableFuture.allOf(calls.stream().map(c -> c.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .get(2, TimeUnit.SECONDS);
        for (CompletableFuture<JsonNode> call : calls) {
            if (call.isCompletedExceptionally()) {
                assertThat(catchCause(call)).isInstanceOf(HpxException.class);
            }
        }
        // G2 answers the others while the held one waits: that one, at least, was ended by the close.
        assertThat(calls).anySatisfy(c -> assertThat(c).isCompletedExceptionally());
        if (client.protocol() == io.github.camelhpx.client.HpxProtocol.G1) {
            // Queued behind the one in progress on the only connection: none of them can have been answered.
            assertThat(calls.subList(1, calls.size())).allSatisfy(c -> assertThat(c).isCompletedExceptionally());
        }
    }

    @Test
    void exchangesInFlightWhenTheComponentStopsAllComplete() throws Exception {
        registerProfile(100, ThreadPoolRejectedPolicy.Abort);
        startEchoRoute();
        ProducerTemplate template = context.createProducerTemplate();
        // The session first, so that the delay below holds a call, not the handshake.
        assertThat(template.requestBody("direct:echo", Map.of("value", "warm-up"), String.class)).contains("warm-up");
        int before = HPX.server().receivedMessages().size();
        // Longer than the wait below: the held call can only end by the close.
        HPX.server().faults().nextReply(Fault.delay(Duration.ofSeconds(10)));

        List<CompletableFuture<Exchange>> exchanges = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            exchanges.add(echo(template, "value-" + i));
        }
        await().until(() -> HPX.server().receivedMessages().size() > before);

        context.getComponent("hpx").stop();

        CompletableFuture.allOf(exchanges.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        for (CompletableFuture<Exchange> exchange : exchanges) {
            assertThat(exchange.get().getException()).isInstanceOf(HpxException.class);
        }
    }

    /**
     * G2: an exchange whose call must wait for a request slot does not hold the thread that sent it (here a template's
     * only thread): the call waits on a client thread, and the next exchange of that thread runs meanwhile.
     */
    @Test
    @Tag("g2")
    void anExchangeWaitingForARequestSlotLeavesItsThreadFree() throws Exception {
        configuration();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:echo").to("hpx:echo?poolSize=1&maxInFlight=1");
                from("direct:other").setBody(constant("other"));
            }
        });
        context.start();
        ExecutorService onlyThread = Executors.newSingleThreadExecutor();
        try {
            ProducerTemplate template = context.createProducerTemplate();
            template.setExecutorService(onlyThread);
            assertThat(template.requestBody("direct:echo", Map.of("value", "warm-up"), String.class)).contains("warm-up");
            int before = HPX.server().receivedMessages().size();
            HPX.server().faults().nextReply(Fault.delay(Duration.ofSeconds(5)));
            echo(template, "held");
            await().until(() -> HPX.server().receivedMessages().size() == before + 1);

            CompletableFuture<Exchange> waiting = echo(template, "waiting");
            CompletableFuture<Object> other = template.asyncRequestBody("direct:other", "x");

            // The slot frees only with the held reply (5 s): a thread held by the waiting call would run this later.
            assertThat(other.get(3, TimeUnit.SECONDS)).isEqualTo("other");
            assertThat(waiting.get(15, TimeUnit.SECONDS).getMessage().getBody(String.class)).contains("waiting");
        } finally {
            onlyThread.shutdownNow();
        }
    }

    @Test
    @Tag("g1")
    void fullQueueRejectsTheCallTypedInsteadOfRunningItOnTheRouteThread() throws Exception {
        registerProfile(1, ThreadPoolRejectedPolicy.Abort);
        assertFullQueueRejects();
    }

    /** An application's profile that sets only sizes must not bring back Camel's default caller-runs policy. */
    @Test
    @Tag("g1")
    void fullQueueRejectsAlsoWithAnApplicationProfileThatNamesNoPolicy() throws Exception {
        registerProfile(1, null);
        assertFullQueueRejects();
    }

    /**
     * Nor one that asks for caller-runs: the caller can be a G2 connection's reader, or the client's timer. Abort is
     * used instead, with a warning.
     */
    @Test
    @Tag("g1")
    void fullQueueRejectsAlsoWithAnApplicationProfileThatAsksForCallerRuns() throws Exception {
        registerProfile(1, ThreadPoolRejectedPolicy.CallerRuns);
        assertFullQueueRejects();
    }

    private void assertFullQueueRejects() throws Exception {
        startEchoRoute();
        ProducerTemplate template = context.createProducerTemplate();
        assertThat(template.requestBody("direct:echo", Map.of("value", "warm-up"), String.class)).contains("warm-up");
        int before = HPX.server().receivedMessages().size();
        // Long enough to outlast the wait and both submits however slow the machine; a caller-runs fallback would
        // still hold the sending thread for seconds.
        HPX.server().faults().nextReply(Fault.delay(Duration.ofSeconds(5)));

        CompletableFuture<Exchange> running = echo(template, "running");
        await().until(() -> HPX.server().receivedMessages().size() == before + 1);
        // One thread busy, room for one more in the queue: of the next two, one waits there and one is refused.
        long start = System.nanoTime();
        CompletableFuture<Exchange> first = echo(template, "first");
        CompletableFuture<Exchange> second = echo(template, "second");
        Exchange earliest = (Exchange) CompletableFuture.anyOf(first, second).get(10, TimeUnit.SECONDS);

        // Refused at once, not run by the sending thread (which would wait for the busy connection, then succeed).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(earliest.getException()).isInstanceOf(HpxClientBusyException.class)
                .hasMessageContaining("too many HPX calls queued");
        // A refusal of the client's says nothing of the server: the producer's check asks the server (it waits for
        // the busy connection), rather than say the server cannot be reached.
        Optional<HealthCheck.Result> check = HealthCheckHelper.invoke(context, "producer:hpx-echo",
                Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
        assertThat(check).hasValueSatisfying(result -> assertThat(result.getState()).isEqualTo(HealthCheck.State.UP));
        CompletableFuture<Exchange> other = earliest == first.getNow(null) ? second : first;
        assertThat(running.get(10, TimeUnit.SECONDS).getException()).isNull();
        assertThat(other.get(10, TimeUnit.SECONDS).getException()).isNull();
        // The two calls run, and the check's get_version.
        assertThat(HPX.server().receivedMessages()).hasSize(before + 3);
    }

    private static Throwable catchCause(CompletableFuture<?> future) {
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
