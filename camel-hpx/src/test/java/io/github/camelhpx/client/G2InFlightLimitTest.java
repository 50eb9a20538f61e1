package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** G2 {@code maxInFlight}: a call beyond the limit waits for a free slot, within its own deadline. */
@Tag("g2")
class G2InFlightLimitTest {

    private final G2Gate gate = new G2Gate();
    private final ExecutorService callers = Executors.newFixedThreadPool(3);

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(4, gate);

    @AfterEach
    void release() {
        gate.open();
        callers.shutdownNow();
    }

    /** Two held calls fill the connection's two slots; returns them. */
    private List<CompletableFuture<JsonNode>> fillBothSlots(HpxTestServer server, HpxClient client) {
        client.authenticate();
        List<CompletableFuture<JsonNode>> held = IntStream.range(0, 2)
                .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", "held" + i))))
                .toList();
        await().until(() -> G2Gate.calls(server) == 2);
        return held;
    }

    @Test
    void thirdCallWaitsForASlotAndStillCompletes() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(2).build()) {
            List<CompletableFuture<JsonNode>> held = fillBothSlots(server, client);

            CompletableFuture<String> third = CompletableFuture.supplyAsync(
                    () -> client.call("echo", Map.of("value", "third")).asText(), callers);
            // the server would take it (4 replies at once), but the client keeps it back while both slots are taken
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> G2Gate.calls(server) == 2);
            assertThat(third).isNotDone();

            gate.open();

            assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("third");
            assertThat(held.get(0).get(5, TimeUnit.SECONDS).asText()).isEqualTo("held0");
            assertThat(held.get(1).get(5, TimeUnit.SECONDS).asText()).isEqualTo("held1");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void thirdCallWithAShortTimeoutFailsTypedByItsDeadlineAndIsNeverSent() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(2).build()) {
            List<CompletableFuture<JsonNode>> held = fillBothSlots(server, client);

            long start = System.nanoTime();
            assertThatThrownBy(() -> client.execute(HpxRequest.function("echo", Map.of("value", "third"))
                    .timeout(Duration.ofMillis(300))))
                    .isInstanceOfSatisfying(HpxTimeoutException.class, e -> assertThat(e.getCode()).isEqualTo(102));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isGreaterThanOrEqualTo(290).isLessThan(2_000);
            assertThat(G2Gate.calls(server)).isEqualTo(2);

            gate.open();

            assertThat(held.get(0).get(5, TimeUnit.SECONDS).asText()).isEqualTo("held0");
            assertThat(held.get(1).get(5, TimeUnit.SECONDS).asText()).isEqualTo("held1");
            // the failed wait took no slot with it
            List<CompletableFuture<JsonNode>> more = IntStream.range(0, 2)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i)))).toList();
            for (int i = 0; i < 2; i++) {
                assertThat(more.get(i).get(5, TimeUnit.SECONDS).intValue()).isEqualTo(i);
            }
        }
    }

    @Test
    void asynchronousThirdCallWithAShortTimeoutFailsItsFuture() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(2).build()) {
            fillBothSlots(server, client);

            CompletableFuture<JsonNode> third = CompletableFuture.supplyAsync(() -> client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "third")).timeout(Duration.ofMillis(300))), callers)
                    .thenCompose(f -> f);

            assertThatThrownBy(() -> third.get(3, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(HpxTimeoutException.class);
            assertThat(G2Gate.calls(server)).isEqualTo(2);
        }
    }

    /** Held calls that time out: the server still holds them, and answers them once the gate opens. */
    private void holdAndTimeOut(HpxClient client, int calls) {
        List<CompletableFuture<JsonNode>> late = IntStream.range(0, calls)
                .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", "late" + i))
                        .timeout(Duration.ofMillis(300))))
                .toList();
        late.forEach(call -> assertThatThrownBy(call::join).hasCauseInstanceOf(HpxTimeoutException.class));
    }

    /**
     * A call that timed out keeps its slot until its late reply comes: the server has no more than
     * {@code maxInFlight} requests of a connection waiting, so callers that time out cannot pile up a backlog
     * that every later call would wait behind.
     */
    @Test
    void requestsThatTimedOutKeepTheirSlotsUntilTheirLateRepliesCome() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(3).build()) {
            client.authenticate();
            holdAndTimeOut(client, 2);
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "held")));
            await().until(() -> G2Gate.calls(server) == 3);

            CompletableFuture<String> fourth = CompletableFuture.supplyAsync(
                    () -> client.call("echo", Map.of("value", "fourth")).asText(), callers);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> G2Gate.calls(server) == 3);
            assertThat(fourth).isNotDone();

            gate.open();

            assertThat(fourth.get(5, TimeUnit.SECONDS)).isEqualTo("fourth");
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            await().until(() -> client.stats().connectionsBusy() == 0);
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    /**
     * When every slot of a connection is held by a call that timed out, nothing can be sent on it until the server
     * answers calls that all outlived their deadlines (or never, if it dropped them): it is closed, and the next
     * call goes on a new one.
     */
    @Test
    void aConnectionWhoseEverySlotTimedOutIsClosedAndTheNextCallGoesOnANewOne() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(2).build()) {
            client.authenticate();
            holdAndTimeOut(client, 2);

            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");

            List<Long> connections = server.receivedMessages().stream().map(ReceivedMessage::connectionId).distinct()
                    .toList();
            assertThat(connections).hasSize(2);
            assertThat(server.receivedMessages().get(server.receivedMessages().size() - 1).connectionId())
                    .isEqualTo(connections.get(1));
        }
    }

    /** A call that waited for a slot of that connection was never sent: it goes on the new one too. */
    @Test
    void aCallWaitingForASlotOfAConnectionClosedSoGoesOnANewOne() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(1).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> late = client.executeAsync(HpxRequest.function("hold", Map.of("value", "late"))
                    .timeout(Duration.ofMillis(500)));
            await().until(() -> G2Gate.calls(server) == 1);

            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(
                    () -> client.call("echo", Map.of("value", "waiting")).asText(), callers);

            assertThatThrownBy(late::join).hasCauseInstanceOf(HpxTimeoutException.class);
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("waiting");
            assertThat(server.receivedMessages().stream().map(ReceivedMessage::connectionId).distinct()).hasSize(2);
        }
    }
}
