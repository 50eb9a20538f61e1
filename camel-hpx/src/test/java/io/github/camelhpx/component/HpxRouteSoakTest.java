package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.SoakStats;
import io.github.camelhpx.testkit.FaultRecord;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client soak ({@code io.github.camelhpx.client.SoakTest}) through a Camel route: 16 threads send exchanges
 * to {@code hpx:echo} through a fault proxy. Every exchange gets its own value back or an {@link
 * io.github.camelhpx.client.HpxException}, within its deadline and a grace, and stopping the context leaves no
 * thread or socket behind.
 */
class HpxRouteSoakTest {

    private static final int THREADS = 16;
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration GRACE = Duration.ofMillis(500);

    /**
     * The component's documented mapping: a call that ran out of its time fails the exchange with Camel's {@link
     * ExchangeTimedOutException}, the client's {@link HpxTimeoutException} as its cause. Anything else must be an
     * {@link HpxException} itself.
     */
    private static boolean isTyped(Throwable failure) {
        if (failure instanceof ExchangeTimedOutException) {
            return failure.getCause() instanceof HpxTimeoutException;
        }
        return failure instanceof HpxException;
    }

    private static String typeOf(Throwable failure) {
        if (failure == null) {
            return null;
        }
        String type = failure.getClass().getSimpleName();
        return failure.getCause() != null && !(failure instanceof HpxException)
                ? type + "(" + failure.getCause().getClass().getSimpleName() + ")" : type;
    }

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    @Test
    void thousandsOfExchangesThroughRandomFaults() throws Exception {
        long seed = SoakStats.seed();
        int perThread = SoakStats.intProperty(SoakStats.CALLS, 150);
        long budgetNanos = TimeUnit.SECONDS.toNanos(SoakStats.intProperty(SoakStats.SECONDS, 10));
        String label = "route " + HPX.server().protocol();
        System.out.println("SOAK " + label + " starting, seed=" + seed);
        Set<String> threadsBefore = SoakStats.clientThreads();
        SoakStats stats = new SoakStats();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        List<FaultRecord> faults;
        int connections;
        CamelContext context = new DefaultCamelContext();
        try (HpxFaultProxy proxy = HpxFaultProxy.builder().upstream(HPX.host(), HPX.port()).build().start()) {
            proxy.randomFaults(seed, 0.5);
            proxy.everyConnection(SoakStats.CHURN);
            String uri = "hpx:echo?host=" + proxy.host() + "&port=" + proxy.port() + "&poolSize=4"
                         + "&connectTimeout=" + DEADLINE.toMillis() + "&requestTimeout=" + DEADLINE.toMillis();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:echo").to(uri);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            long end = start + budgetNanos;
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < perThread && System.nanoTime() < end; i++) {
                        String id = thread + ":" + i;
                        long t0 = System.nanoTime();
                        Throwable failure;
                        try {
                            Exchange reply = template.send("direct:echo", e -> e.getMessage().setBody(Map.of("value", id)));
                            failure = reply.getException();
                            if (failure == null) {
                                JsonNode body = reply.getMessage().getBody(JsonNode.class);
                                if (body == null || !id.equals(body.asText())) {
                                    stats.misrouted(id, body);
                                }
                            }
                        } catch (Throwable e) {
                            failure = e;
                        }
                        stats.ended(System.nanoTime() - t0, failure, typeOf(failure), isTyped(failure),
                                DEADLINE.toNanos(), GRACE.toNanos());
                    }
                    return null;
                });
            }
            for (Future<Void> f : workers.invokeAll(tasks)) {
                f.get();
            }
            template.stop();
            context.stop();
            faults = proxy.faultLog();
            connections = proxy.connectionsAccepted();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(proxy.connections()).as("proxied connections after stop, seed %d", seed).isZero();
                assertThat(HPX.server().openConnections()).as("server connections after stop, seed %d", seed).isZero();
            });
        } finally {
            workers.shutdownNow();
            context.close();
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println(stats.summary(label, seed, SoakStats.withoutChurn(faults), connections, DEADLINE.toMillis(),
                wallMillis));
        stats.untyped.stream().limit(5).forEach(e -> e.printStackTrace(System.out));

        // Fewer than the client soak: in G1 the route's calls queue for the pool's lock-step connections.
        assertThat(stats.calls.sum()).as("exchanges sent").isGreaterThanOrEqualTo(500);
        assertThat(SoakStats.withoutChurn(faults)).as("random faults given").isNotEmpty();
        assertThat(stats.misroutes).as("misrouted replies, seed %d", seed).isEmpty();
        assertThat(stats.untyped).as("untyped exceptions, seed %d", seed).isEmpty();
        assertThat(stats.maxCallNanos.get()).as("longest exchange (ns) vs deadline %s + grace %s, seed %d", DEADLINE,
                GRACE, seed).isLessThanOrEqualTo(DEADLINE.plus(GRACE).toNanos());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(SoakStats.clientThreads())
                .as("client and route threads left after stop, seed %d", seed).isSubsetOf(threadsBefore));
    }
}
