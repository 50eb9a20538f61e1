package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G2 frames without an {@code __id__} answer no call: a broadcast goes to the listeners (once per event), anything
 * else is dropped, and every waiting call still gets its own reply.
 */
@Tag("g2")
class G2UnsolicitedFrameTest {

    /** Holds calls in the server until the broadcast has been heard: the broadcast comes while they wait. */
    private final G2Gate gate = new G2Gate();

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .function(FunctionSpec.echo())
            .function(gate.function()));

    private final List<Broadcast> received = new CopyOnWriteArrayList<>();

    private HpxClient oneConnection() {
        HpxClient client = TestClients.to(hpx.server()).poolSize(1).build();
        client.onBroadcast(received::add);
        client.authenticate();
        return client;
    }

    /**
     * The listener heard {@code command} once, and nothing after it for a while. Awaited: on a slow machine the
     * broadcast can reach the client after the replies it was sent between.
     */
    private void onlyOnce(ServerCommand command) {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        assertThat(received).extracting(Broadcast::command).containsExactly(command);
    }

    @Test
    void frameWithoutIdThatIsNoBroadcastIsDroppedAndTheCallGetsItsOwnReply() {
        try (HpxClient client = oneConnection()) {
            for (Object unsolicited : List.of(Map.of("x", 1), "hello", List.of(1, 2), 7)) {
                hpx.server().faults().nextReply(Fault.unsolicitedBefore(unsolicited));

                assertThat(client.call("echo", Map.of("value", "mine")).asText()).isEqualTo("mine");
            }
            // a frame shaped like the call's reply, sent right before it, reached neither the caller nor a listener
            hpx.server().faults().nextReply(Fault.unsolicitedBefore(List.of(Map.of("fname", "echo", "data", "theirs"))));
            assertThat(client.call("echo", Map.of("value", "mine")).asText()).isEqualTo("mine");

            assertThat(received).isEmpty();
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void unsolicitedBroadcastBeforeAReplyReachesTheListenerOnceAndNoCaller() {
        try (HpxClient client = oneConnection()) {
            hpx.server().faults().nextReply(Fault.unsolicitedBefore(2));

            assertThat(client.call("echo", Map.of("value", 2)).intValue()).isEqualTo(2);

            assertThat(received).singleElement().satisfies(b -> {
                assertThat(b.command()).isEqualTo(ServerCommand.SERVER_RESTART);
                assertThat(b.data().intValue()).isEqualTo(2);
                assertThat(b.sessionId()).isEqualTo(client.sessionId());
            });
        }
    }

    @Test
    void broadcastWhileSeveralCallsWaitReachesTheListenerOnceAndEachCallGetsItsOwnReply() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = oneConnection()) {
            int before = server.receivedMessages().size();
            // the server answers in order: holding the first call holds them all
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 4)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function(i == 0 ? "hold" : "echo",
                            Map.of("value", "c" + i))))
                    .toList();
            await().until(() -> server.receivedMessages().size() > before);

            server.broadcast(2);

            onlyOnce(ServerCommand.SERVER_RESTART);
            assertThat(calls).noneMatch(CompletableFuture::isDone);
            gate.open();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).orTimeout(5, TimeUnit.SECONDS).join().asText()).isEqualTo("c" + i);
            }
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void broadcastCopiedToEveryConnectionReachesTheListenerOnce() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(3).maxInFlight(1).build()) {
            client.onBroadcast(received::add);
            client.authenticate();
            int before = server.receivedMessages().size();
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 3)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", i))))
                    .toList();
            await().until(() -> server.receivedMessages().size() == before + 3);
            assertThat(client.openConnections()).isEqualTo(3);

            server.broadcast(1);

            onlyOnce(ServerCommand.SERVER_QUIT);
            assertThat(calls).noneMatch(CompletableFuture::isDone);
            gate.open();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).orTimeout(5, TimeUnit.SECONDS).join().intValue()).isEqualTo(i);
            }
        }
    }
}
