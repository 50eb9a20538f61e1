package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G2 replies that cannot be used: a content problem fails only its own call, a framing problem (which leaves no
 * way to find the next frame) fails the calls in flight at once and typed, never hands a caller another's reply.
 */
@Tag("g2")
class G2BadReplyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .function(FunctionSpec.echo()));

    @Test
    void replyThatDoesNotBindFailsOnlyItsOwnCallAndTheConnectionGoesOn() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).build()) {
            client.authenticate();
            server.faults().nextReply(Fault.delay(Duration.ofMillis(200)));
            CompletableFuture<JsonNode> first = client.executeAsync(HpxRequest.function("echo", Map.of("value", "a")));
            CompletableFuture<Integer> wrongType = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "not a number")).as(Integer.class));
            CompletableFuture<JsonNode> last = client.executeAsync(HpxRequest.function("echo", Map.of("value", "c")));

            assertThat(first.orTimeout(5, TimeUnit.SECONDS).join().asText()).isEqualTo("a");
            assertThatThrownBy(() -> wrongType.orTimeout(5, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(HpxProtocolException.class);
            assertThat(last.orTimeout(5, TimeUnit.SECONDS).join().asText()).isEqualTo("c");
            assertThat(client.call("echo", Map.of("value", "d")).asText()).isEqualTo("d");
            assertThat(client.openConnections()).isEqualTo(1);
            assertThat(server.receivedMessages()).extracting(ReceivedMessage::connectionId).containsOnly(1L);
        }
    }

    @Test
    void garbageFailsEveryCallInFlightTypedAndQuicklyAndNoCallerGetsAnotherReply() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(TIMEOUT).build()) {
            client.authenticate();
            int before = server.receivedMessages().size();
            server.faults().nextReply(Fault.delay(Duration.ofMillis(300))).nextReply(Fault.garbage());
            long start = System.nanoTime();
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 4)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", "c" + i))))
                    .toList();
            await().until(() -> server.receivedMessages().size() > before);

            for (int i = 0; i < calls.size(); i++) {
                CompletableFuture<JsonNode> call = calls.get(i);
                String expected = "c" + i;
                // a call answered before the garbage has its own reply; every other one fails typed
                try {
                    assertThat(call.orTimeout(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS).join().asText())
                            .isEqualTo(expected);
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(HpxException.class);
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
            assertThat(calls.get(0).join().asText()).isEqualTo("c0");
            assertThat(calls.get(1)).isCompletedExceptionally();

            server.faults().clear();
            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
        }
    }

    @Test
    void oversizedReplyIsRefusedAtTheLimitAndTheClientGoesOn() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxMessageSize(64 * 1024).build()) {
            client.authenticate();
            server.faults().nextReply(Fault.oversized(1024 * 1024));

            assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                    .isInstanceOf(HpxProtocolException.class).hasMessageContaining("maxMessageSize");
            assertThat(client.call("echo", Map.of("value", 2)).intValue()).isEqualTo(2);
        }
    }
}
