package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

/**
 * G2: asynchronous calls that find every request slot of a full pool taken wait in a queue, first come first served,
 * without a thread each: the client's executor (here one thread of the test's) stays free for other work, and a
 * waiting call takes a thread only to write its request once a slot is its.
 */
@Tag("g2")
class G2SlotQueueTest {

    private final G2Gate gate = new G2Gate();
    private final ExecutorService clientThread = Executors.newSingleThreadExecutor();

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(4, gate);

    @AfterEach
    void release() {
        gate.open();
        clientThread.shutdownNow();
    }

    /** A client of one connection with one slot, whose executor is one thread. */
    private HpxClient oneSlot(HpxTestServer server) {
        return TestClients.to(server).poolSize(1).maxInFlight(1).executor(clientThread)
                .requestTimeout(Duration.ofSeconds(30)).build();
    }

    private static HpxRequest<JsonNode> call(String function, String value) {
        return HpxRequest.function(function, Map.of("value", value));
    }

    /** The values of the calls {@code server} received, in the order it received them. */
    private static List<String> callValues(HpxTestServer server) {
        return server.receivedMessages().stream().filter(m -> "call".equals(m.root().path("command").asText()))
                .map(ReceivedMessage::data).map(data -> data.findValue("value").asText()).toList();
    }

    /** The client before this queue handed each such call to its executor, whose thread then waited for the slot. */
    @Test
    void callsWaitingForASlotHoldNoThreadAndAreSentInTheOrderTheyCame() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = oneSlot(server)) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, 3)
                    .mapToObj(i -> client.executeAsync(call("echo", "waiting" + i))).toList();

            // The executor's only thread runs other work while they wait.
            CompletableFuture.runAsync(() -> { }, clientThread).get(3, TimeUnit.SECONDS);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
            assertThat(G2Gate.calls(server)).isEqualTo(1);

            gate.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            for (int i = 0; i < waiting.size(); i++) {
                assertThat(waiting.get(i).get(5, TimeUnit.SECONDS).asText()).isEqualTo("waiting" + i);
            }
            assertThat(callValues(server)).containsExactly("held", "waiting0", "waiting1", "waiting2");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    /** A blocking caller waits in the same queue, on its own thread, behind the calls that came before it. */
    @Test
    void aBlockingCallWaitsItsTurnBehindAsynchronousCallsThatCameFirst() throws Exception {
        HpxTestServer server = hpx.server();
        ExecutorService blocking = Executors.newSingleThreadExecutor();
        try (HpxClient client = oneSlot(server)) {
            client.authenticate();
            client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            CompletableFuture<JsonNode> first = client.executeAsync(call("echo", "first"));
            CompletableFuture<Thread> caller = new CompletableFuture<>();
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
                caller.complete(Thread.currentThread());
                return client.call("echo", Map.of("value", "second")).asText();
            }, blocking);
            Thread secondThread = caller.get(5, TimeUnit.SECONDS);
            await().until(() -> G2Gate.waitsForASlot(secondThread));
            CompletableFuture<JsonNode> third = client.executeAsync(call("echo", "third"));

            gate.open();
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
            assertThat(first.get(5, TimeUnit.SECONDS).asText()).isEqualTo("first");
            assertThat(third.get(5, TimeUnit.SECONDS).asText()).isEqualTo("third");
            assertThat(callValues(server)).containsExactly("held", "first", "second", "third");
        } finally {
            blocking.shutdownNow();
        }
    }

    @Test
    void aWaitingCallEndsAtItsDeadlineTypedAndTakesNoSlotWithIt() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = oneSlot(server)) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);

            CompletableFuture<JsonNode> waiting = client.executeAsync(call("echo", "expires")
                    .timeout(Duration.ofMillis(300)));

            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HpxTimeoutException.class).hasMessageContaining("waiting for a request slot");
            gate.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
            assertThat(callValues(server)).containsExactly("held", "after");
        }
    }

    /**
     * No more than the queue's bound wait: one more is refused at once, typed. Closing the client ends every call
     * waiting at once, typed, none of them sent.
     */
    @Test
    void theQueueIsBoundedAndAClosedClientEndsEveryCallWaitingAtOnce() throws Exception {
        HpxTestServer server = hpx.server();
        HpxClient client = oneSlot(server);
        List<CompletableFuture<JsonNode>> waiting;
        try (client) {
            client.authenticate();
            client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            waiting = IntStream.range(0, 10_000).mapToObj(i -> client.executeAsync(call("echo", "waiting"))).toList();

            CompletableFuture<JsonNode> oneMore = client.executeAsync(call("echo", "one more"));

            assertThatThrownBy(() -> oneMore.get(1, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HpxConnectionException.class).hasMessageContaining("wait for a request slot");
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
        }
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).exceptionally(failure -> null)
                .get(5, TimeUnit.SECONDS);
        assertThat(waiting).allSatisfy(w -> assertThatThrownBy(w::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HpxConnectionException.class));
        assertThat(G2Gate.calls(server)).isEqualTo(1);
    }

    /**
     * The connection breaks under calls that wait for its slot: they were never sent, and go on a new connection, as
     * does the call in flight (retried: the server closed before its reply began).
     */
    @Test
    void callsWaitingForTheSlotOfAConnectionThatBreaksGoOnANewOne() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = oneSlot(server)) {
            client.authenticate();
            server.faults().nextReply(Fault.close());
            CompletableFuture<JsonNode> held = client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, 3)
                    .mapToObj(i -> client.executeAsync(call("echo", "waiting" + i))).toList();

            gate.open();

            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            for (int i = 0; i < waiting.size(); i++) {
                assertThat(waiting.get(i).get(5, TimeUnit.SECONDS).asText()).isEqualTo("waiting" + i);
            }
            assertThat(server.receivedMessages().stream().map(ReceivedMessage::connectionId).distinct()).hasSize(2);
        }
    }
}
