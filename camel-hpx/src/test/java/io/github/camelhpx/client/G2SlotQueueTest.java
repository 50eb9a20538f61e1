package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
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

    /** The most calls that wait for a slot, as documented ({@code HpxClient.executeAsync}). */
    private static final int MAX_WAITING = 10_000;

    private final G2Gate gate = new G2Gate();
    private final G2Gate second = new G2Gate("holdSecond");
    private final ExecutorService clientThread = Executors.newSingleThreadExecutor();
    /**
     * The first {@code holdThenSecond} calls (one unless a test says) wait for {@link #gate}, the later ones for
     * {@link #second}.
     */
    private final AtomicInteger gatedCalls = new AtomicInteger(1);

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2).concurrentReplies(4)
            .function(FunctionSpec.echo()).function(gate.function()).function(second.function())
            .function(FunctionSpec.of("holdThenSecond").param("value").handler(call -> {
                G2Gate by = gatedCalls.getAndDecrement() > 0 ? gate : second;
                by.await();
                return call.arg("value");
            })));

    @AfterEach
    void release() {
        gate.open();
        second.open();
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
     * A call handed a slot while the client's threads are all busy ends at its deadline in their queue, before its
     * request is written: the slot goes to the next call, not with it.
     */
    @Test
    void aCallHandedASlotThatEndsBeforeAThreadWritesItGivesTheSlotBack() throws Exception {
        HpxTestServer server = hpx.server();
        CountDownLatch busy = new CountDownLatch(1);
        try (HpxClient client = oneSlot(server)) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            CompletableFuture<JsonNode> handed = client.executeAsync(call("echo", "handed")
                    .timeout(Duration.ofSeconds(2)));
            clientThread.execute(() -> awaitQuietly(busy));

            gate.open();

            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThatThrownBy(() -> handed.get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HpxTimeoutException.class).hasMessageContaining("waiting for a client thread");
            busy.countDown();
            assertThat(client.executeAsync(call("echo", "after")).get(5, TimeUnit.SECONDS).asText()).isEqualTo("after");
            assertThat(callValues(server)).containsExactly("held", "after");
        } finally {
            busy.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(G2Gate.MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When the client's executor refuses the calls handed a slot, each fails typed and gives its slot to the next, which
     * fails the same way, however many wait (each used to be failed from within the last one's failure, 10,000 deep),
     * and the slot stays usable.
     */
    @Test
    void callsHandedASlotThatTheExecutorRefusesEachFailTypedAndTheSlotIsLeftUsable() throws Exception {
        HpxTestServer server = hpx.server();
        AtomicBoolean refusing = new AtomicBoolean();
        Executor refusingWhenTold = task -> {
            if (refusing.get()) {
                throw new RejectedExecutionException("the test's executor refuses");
            }
            clientThread.execute(task);
        };
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(1).executor(refusingWhenTold)
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(call("hold", "held"));
            await().until(() -> G2Gate.calls(server) == 1);
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, MAX_WAITING)
                    .mapToObj(i -> client.executeAsync(call("echo", "waiting"))).toList();
            refusing.set(true);

            gate.open();

            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).exceptionally(failure -> null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(waiting).allSatisfy(w -> assertThatThrownBy(w::join).cause()
                    .isInstanceOf(HpxConnectionException.class).hasMessageContaining("the test's executor refuses"));
            refusing.set(false);
            assertThat(client.executeAsync(call("echo", "after")).get(5, TimeUnit.SECONDS).asText()).isEqualTo("after");
            assertThat(callValues(server)).containsExactly("held", "after");
        }
    }

    /**
     * After a break, the calls that waited for a slot of the broken connection are retried on a new one, as are the
     * calls that were in flight; those retries that find every slot of it taken wait for one without a thread each.
     * Every call here but the one whose reply is the server's close is held by the second gate.
     */
    @Test
    void retriesAfterABreakWaitForASlotOfTheNewConnectionWithoutAThread() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(2).executor(clientThread)
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(call("holdSecond", "held"));
            CompletableFuture<JsonNode> closing = client.executeAsync(call("holdThenSecond", "closing"));
            await().until(() -> G2Gate.calls(server) == 2);
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, 2)
                    .mapToObj(i -> client.executeAsync(call("holdSecond", "waiting" + i))).toList();
            server.faults().nextReply(Fault.close());

            gate.open();
            // Two of the four retries fill the new connection's two slots; the other two wait.
            await().until(() -> G2Gate.calls(server) == 4);

            CompletableFuture.runAsync(() -> { }, clientThread).get(3, TimeUnit.SECONDS);
            assertThat(G2Gate.calls(server)).isEqualTo(4);
            second.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
            assertThat(closing.get(5, TimeUnit.SECONDS).asText()).isEqualTo("closing");
            for (int i = 0; i < waiting.size(); i++) {
                assertThat(waiting.get(i).get(5, TimeUnit.SECONDS).asText()).isEqualTo("waiting" + i);
            }
            assertThat(server.receivedMessages().stream().map(ReceivedMessage::connectionId).distinct()).hasSize(2);
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
            waiting = IntStream.range(0, MAX_WAITING).mapToObj(i -> client.executeAsync(call("echo", "waiting"))).toList();

            CompletableFuture<JsonNode> oneMore = client.executeAsync(call("echo", "one more"));

            assertThatThrownBy(() -> oneMore.get(1, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HpxClientBusyException.class).hasMessageContaining("wait for a request slot");
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
        }
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).exceptionally(failure -> null)
                .get(5, TimeUnit.SECONDS);
        assertThat(waiting).allSatisfy(w -> assertThatThrownBy(w::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HpxConnectionException.class));
        assertThat(G2Gate.calls(server)).isEqualTo(1);
    }

    /**
     * When every connection of the pool breaks, the retries spread over new connections while the pool has room, as
     * other calls do: the client of e88f4fc had them all wait for the slots of the first connection opened since.
     * Both breaks come before either retry opens a connection (they queue behind work on the client's thread).
     */
    @Test
    void retriesAfterABreakOpenMoreConnectionsWhileThePoolHasRoom() throws Exception {
        HpxTestServer server = hpx.server();
        gatedCalls.set(2);
        CountDownLatch broken = new CountDownLatch(1);
        try (HpxClient client = TestClients.to(server).poolSize(2).maxInFlight(1).executor(clientThread)
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            client.authenticate();
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 2)
                    .mapToObj(i -> client.executeAsync(call("holdThenSecond", "call" + i))).toList();
            await().until(() -> G2Gate.calls(server) == 2);
            assertThat(client.openConnections()).isEqualTo(2);
            server.faults().nextReply(Fault.close()).nextReply(Fault.close());
            clientThread.execute(() -> awaitQuietly(broken));

            gate.open();
            await().until(() -> client.openConnections() == 0);
            broken.countDown();

            // Held by the second gate, each on a connection of its own.
            await().until(() -> G2Gate.calls(server) == 4);
            assertThat(client.openConnections()).isEqualTo(2);
            second.open();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).get(5, TimeUnit.SECONDS).asText()).isEqualTo("call" + i);
            }
            assertThat(server.receivedMessages().stream().map(ReceivedMessage::connectionId).distinct()).hasSize(4);
        }
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
