package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many exchanges at once over a small pool: every reply reaches the exchange that asked for it. */
class HpxConcurrencyTest extends HpxCamelTestSupport {

    private static final int EXCHANGES = 200;
    private static final int POOL_SIZE = 4;

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server.function(FunctionSpec.echo()));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:echo").to("hpx:echo?poolSize=" + POOL_SIZE);
            }
        };
    }

    @Test
    void everyReplyIsMatchedToItsRequest() throws Exception {
        List<CompletableFuture<Exchange>> replies = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            String value = "request-" + i;
            replies.add(template.asyncSend("direct:echo", e -> {
                e.getMessage().setHeader("expected", value);
                e.getMessage().setBody(Map.of("value", value));
            }));
        }

        for (CompletableFuture<Exchange> future : replies) {
            Exchange reply = future.get(30, TimeUnit.SECONDS);
            assertThat(reply.getException()).isNull();
            assertThat(reply.getMessage().getBody(JsonNode.class).asText()).isEqualTo(reply.getMessage().getHeader("expected"));
        }
        List<ReceivedMessage> calls = server().receivedMessages().stream()
                .filter(m -> m.data() != null && m.data().isArray()).toList();
        assertThat(calls).hasSize(EXCHANGES);
        assertThat(calls.stream().map(ReceivedMessage::connectionId).distinct().count()).isLessThanOrEqualTo(POOL_SIZE);
        assertThat(calls.stream().map(ReceivedMessage::session).distinct()).hasSize(1);
    }
}
