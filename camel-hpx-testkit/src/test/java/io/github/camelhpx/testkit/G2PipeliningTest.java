package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Many requests in flight on one G2 connection: in order by default, overtaking or shuffled when asked. */
class G2PipeliningTest {

    private static HpxTestServer.Builder g2() {
        return HpxTestServer.builder().protocol(Protocol.G2).function(FunctionSpec.echo());
    }

    /** The id of request i: strings and integers alternate, as both must come back verbatim. */
    private static Object id(int i) {
        return i % 2 == 0 ? (Object) ("p_" + i) : (Object) i;
    }

    private static ArrayNode echo(int i) {
        return (ArrayNode) RawClient.parse("[{\"fname\": \"echo\", \"value\": " + i + "}]");
    }

    /** Writes the requests from another thread, so neither side can block the other on full socket buffers. */
    private static CompletableFuture<Void> sendAll(G2RawClient c, int from, int to) {
        return CompletableFuture.runAsync(() -> {
            for (int i = from; i < to; i++) {
                c.send(G2RawClient.message(id(i), "call", c.session(), echo(i)));
            }
        });
    }

    @Test
    void aThousandPipelinedRequestsAreAnsweredInOrderEachWithItsOwnId() throws Exception {
        try (HpxTestServer server = g2().build().start(); G2RawClient c = G2RawClient.guest(server)) {
            CompletableFuture<Void> writer = sendAll(c, 0, 1000);
            for (int i = 0; i < 1000; i++) {
                JsonNode reply = c.read();
                assertThat(reply.get("__id__")).isEqualTo(RawClient.MAPPER.valueToTree(id(i)));
                assertThat(reply.path("data").path(0).path("data").asInt()).isEqualTo(i);
            }
            writer.get();
        }
    }

    @Test
    void withConcurrentRepliesAThousandRequestsAllComeBackMatchedById() throws Exception {
        try (HpxTestServer server = g2().concurrentReplies(8).build().start(); G2RawClient c = G2RawClient.guest(server)) {
            CompletableFuture<Void> writer = sendAll(c, 0, 1000);
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                JsonNode reply = c.read();
                JsonNode id = reply.get("__id__");
                int value = reply.path("data").path(0).path("data").asInt();
                assertThat(id).isEqualTo(RawClient.MAPPER.valueToTree(id(value)));
                assertThat(seen.add(id)).as("one reply per id: %s", id).isTrue();
            }
            writer.get();
        }
    }

    @Test
    void withConcurrentRepliesASlowReplyIsOvertaken() throws Exception {
        // "hold" answers only once the test has seen the reply to the request sent after it
        CountDownLatch overtaken = new CountDownLatch(1);
        FunctionSpec hold = FunctionSpec.of("hold").handler(call -> overtaken.await(10, TimeUnit.SECONDS));
        try (HpxTestServer server = g2().function(hold).concurrentReplies(4).build().start();
             G2RawClient c = G2RawClient.guest(server)) {
            c.send(G2RawClient.message("slow", "call", c.session(), (ArrayNode) RawClient.parse("[{\"fname\": \"hold\"}]")));
            c.send(G2RawClient.message("fast", "call", c.session(), echo(2)));
            assertThat(c.read().path("__id__").asText()).isEqualTo("fast");
            overtaken.countDown();
            JsonNode slow = c.read();
            assertThat(slow.path("__id__").asText()).isEqualTo("slow");
            assertThat(slow.path("data").path(0).path("data").asBoolean()).isTrue();
        }
    }

    @Test
    void byDefaultASlowReplyHoldsBackTheNextOne() throws Exception {
        try (HpxTestServer server = g2().build().start(); G2RawClient c = G2RawClient.guest(server)) {
            server.faults().nextReply(Fault.delay(Duration.ofMillis(300)));
            c.send(G2RawClient.message("slow", "call", c.session(), echo(1)));
            c.send(G2RawClient.message("next", "call", c.session(), echo(2)));
            assertThat(c.read().path("__id__").asText()).isEqualTo("slow");
            assertThat(c.read().path("__id__").asText()).isEqualTo("next");
        }
    }

    @Test
    void reorderRepliesShufflesTheNextRepliesOfAConnection() throws Exception {
        try (HpxTestServer server = g2().build().start(); G2RawClient c = G2RawClient.guest(server)) {
            server.faults().reorderReplies(6);
            sendAll(c, 0, 6).get();
            List<Object> order = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JsonNode reply = c.read();
                int value = reply.path("data").path(0).path("data").asInt();
                assertThat(reply.get("__id__")).isEqualTo(RawClient.MAPPER.valueToTree(id(value)));
                order.add(value);
            }
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5));
            // the fault is used up: the next reply comes at once
            assertThat(c.callOne("{\"fname\": \"get_version\"}").has("error")).isFalse();
        }
    }
}
