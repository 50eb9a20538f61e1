package io.github.camelhpx.component;


import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.SoakRun;
import io.github.camelhpx.client.SoakStats;
import io.github.camelhpx.testkit.FunctionSpec;
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
        // Fewer than the client soak: in G1 the route's calls queue for the pool's lock-step connections.
        SoakRun.run("route " + HPX.server().protocol(), HPX.server(), 150, 500, proxy -> {
            CamelContext context = new DefaultCamelContext();
            String uri = "hpx:echo?host=" + proxy.host() + "&port=" + proxy.port() + "&poolSize=4"
                         + "&connectTimeout=" + SoakRun.DEADLINE.toMillis()
                         + "&requestTimeout=" + SoakRun.DEADLINE.toMillis();
            try {
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:echo").to(uri);
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            return new SoakRun.Target() {
                @Override
                public void call(SoakStats stats, SplittableRandom random, String id) {
                    exchange(template, stats, id);
                }

                @Override
                public void close() throws Exception {
                    template.stop();
                    context.close();
                }
            };
        });
    }

    private static void exchange(ProducerTemplate template, SoakStats stats, String id) {
        long t0 = System.nanoTime();
        Throwable failure;
        try {
            Exchange reply = template.send("direct:echo", e -> e.getMessage().setBody(Map.of("value", id)));
            failure = reply.getException();
            if (failure == null) {
                JsonNode body = reply.getMessage().getBody(JsonNode.class);
                if (body == null || !id.equals(body.asText())) {
                    stats.unexpected(id, body);
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
        stats.ended(System.nanoTime() - t0, failure, typeOf(failure), isTyped(failure),
                SoakRun.DEADLINE.toNanos(), SoakRun.GRACE.toNanos());
    }
}
