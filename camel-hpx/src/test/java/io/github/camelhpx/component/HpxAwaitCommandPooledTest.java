package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.PooledExchangeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * awaitCommand with Camel's pooled exchanges, which a consumer reuses once their route has ended: progress sent after
 * the awaited exchange ended still names that exchange, not the one its object became.
 */
class HpxAwaitCommandPooledTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .function(FunctionSpec.of("long_task").param("millis").handler(call -> call
                    .startCommand("Long task", Duration.ofMillis(call.arg("millis").asLong()), Map.of("done", true),
                            false))));

    private final List<String> awaited = new CopyOnWriteArrayList<>();
    private final List<Exchange> progress = new CopyOnWriteArrayList<>();
    private final CountDownLatch progressHeld = new CountDownLatch(1);
    private final AtomicReference<String> firstCommand = new AtomicReference<>();

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getCamelContextExtension().setExchangeFactory(new PooledExchangeFactory());
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // The second tick comes once the first exchange has ended, and reuses its object.
                from("timer:ticks?repeatCount=2&delay=0&period=1500")
                        .process(e -> awaited.add(e.getExchangeId()))
                        .setBody(constant(Map.of("millis", 500)))
                        .to("hpx:long_task?awaitCommand=true&commandPollInterval=50&commandProgressUri=direct:progress");
                // Holds the first snapshot until the second tick: the later ones are sent after the first exchange ended.
                from("direct:progress")
                        .process(e -> firstCommand.compareAndSet(null, e.getMessage().getHeader(HpxConstants.COMMAND_ID,
                                String.class)))
                        .process(e -> progressHeld.await(10, TimeUnit.SECONDS))
                        .process(e -> progress.add(e.copy()));
            }
        };
    }

    @Test
    void progressSentAfterTheExchangeEndedNamesThatExchange() {
        await().until(() -> awaited.size() == 2);
        progressHeld.countDown();
        // The first command's snapshots sent after its exchange ended, and one of the second's
        await().until(() -> ofFirstCommand().size() > 1 && progress.size() > ofFirstCommand().size());

        assertThat(ofFirstCommand()).allSatisfy(p -> assertThat(correlation(p)).isEqualTo(awaited.get(0)));
    }

    private List<Exchange> ofFirstCommand() {
        return progress.stream()
                .filter(p -> firstCommand.get().equals(p.getMessage().getHeader(HpxConstants.COMMAND_ID))).toList();
    }

    private static String correlation(Exchange progress) {
        return progress.getProperty(Exchange.CORRELATION_ID, String.class);
    }
}
