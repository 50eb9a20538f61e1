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
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The G2 pool: a new connection only when every open one is busy, never more than {@code poolSize}; restarts. */
@Tag("g2")
class G2PoolTest {

    private final G2Gate gate = new G2Gate();
    private final List<Broadcast> received = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(8, gate);

    @AfterEach
    void openGate() {
        gate.open();
    }

    @Test
    void callsOneAfterAnotherUseOneConnection() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(4).build()) {
            for (int i = 0; i < 50; i++) {
                assertThat(client.call("echo", Map.of("value", i)).intValue()).isEqualTo(i);
            }
            assertThat(client.openConnections()).isEqualTo(1);
            assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::connectionId).containsOnly(1L);
        }
    }

    @Test
    void busyConnectionsGrowThePoolUpToItsSizeAndNoFurther() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(3).build()) {
            client.authenticate();
            int before = server.receivedMessages().size();
            List<CompletableFuture<JsonNode>> held = IntStream.range(0, 9)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", i)))).toList();
            await().until(() -> server.receivedMessages().size() == before + 9);

            assertThat(client.openConnections()).isEqualTo(3);
            assertThat(server.openConnections()).isEqualTo(3);
            gate.open();
            for (int i = 0; i < held.size(); i++) {
                assertThat(held.get(i).orTimeout(5, TimeUnit.SECONDS).join().intValue()).isEqualTo(i);
            }
            assertThat(server.sessionIds()).containsExactly(client.sessionId());
        }
    }

    @Test
    void restartWhileACallWaitsIsBroadcastOnceAndTheCallGoesThroughInANewSession() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).build()) {
            client.onBroadcast(received::add);
            String before = client.authenticate();
            int sent = server.receivedMessages().size();
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(3)));
            CompletableFuture<JsonNode> waiting = client.executeAsync(HpxRequest.function("echo", Map.of("value", "w")));
            await().until(() -> server.receivedMessages().size() == sent + 1);

            server.restart();

            assertThat(waiting.orTimeout(5, TimeUnit.SECONDS).join().asText()).isEqualTo("w");
            assertThat(client.sessionId()).isNotEqualTo(before);
            assertThat(received).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_RESTART);
            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
        }
    }

    @Test
    void restartCommandIsAnsweredAndBroadcastOnce() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(2).build()) {
            client.onBroadcast(received::add);
            client.authenticate();

            assertThat(client.sendCommand(ServerCommand.SERVER_RESTART)).isNull();

            await().atMost(Duration.ofSeconds(5)).until(() -> !received.isEmpty());
            assertThat(client.call("echo", Map.of("value", "back")).asText()).isEqualTo("back");
            // Both connections carried the broadcast: the copy read second would come after the first.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_RESTART);
        }
    }
}
