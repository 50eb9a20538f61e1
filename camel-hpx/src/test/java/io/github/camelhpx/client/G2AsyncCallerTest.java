package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G2: {@code executeAsync} gives its future back without waiting on the caller's thread (a route's, an event loop's)
 * for a request slot or a connect; the client's executor waits for them, within the call's deadline. The tests of
 * a single call make it on a thread of their own and wait, with a bound far below what the old wait would have taken,
 * for {@code executeAsync} to return; the last test, that calls handed over together each get the connection opened
 * for them.
 */
@Tag("g2")
class G2AsyncCallerTest {

    private static final Duration RETURNS_WITHIN = Duration.ofSeconds(3);
    /** How long the server keeps a welcome back: twice what the caller is given to get its future. */
    private static final Duration WELCOME_DELAY = RETURNS_WITHIN.multipliedBy(2);

    private final G2Gate gate = new G2Gate();
    private final ExecutorService callers = Executors.newSingleThreadExecutor();

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(4, gate);

    @AfterEach
    void release() {
        gate.open();
        callers.shutdownNow();
    }

    private static HpxClient.Builder client(HpxTestServer server) {
        return TestClients.to(server).connectTimeout(Duration.ofSeconds(30)).requestTimeout(Duration.ofSeconds(30));
    }

    /** {@code executeAsync} made on the test's caller thread; its future, once that call returned. */
    private CompletableFuture<JsonNode> startOnCaller(HpxClient client, String value) throws Exception {
        CompletableFuture<CompletableFuture<JsonNode>> returned = CompletableFuture.supplyAsync(
                () -> client.executeAsync(HpxRequest.function("echo", Map.of("value", value))), callers);
        await().atMost(RETURNS_WITHIN).until(returned::isDone);
        return returned.get();
    }

    /** Logs in, and holds a call on the first connection until the gate opens. */
    private static CompletableFuture<JsonNode> heldOnTheFirst(HpxClient client, HpxTestServer server) {
        client.authenticate();
        CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "held")));
        await().until(() -> G2Gate.calls(server) == 1);
        return held;
    }

    /** A call opening a second connection, whose welcome the server holds back; once the server accepted it. */
    private static CompletableFuture<JsonNode> openingTheSecond(HpxClient client, HpxTestServer server) {
        server.faults().nextWelcome(Fault.delay(WELCOME_DELAY));
        CompletableFuture<JsonNode> opener = client.executeAsync(
                HpxRequest.function("echo", Map.of("value", "opener")));
        await().until(() -> server.openConnections() == 2);
        return opener;
    }

    @Test
    void aCallBeyondEverySlotReturnsAtOnceAndIsSentWhenASlotFrees() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = client(server).poolSize(1).maxInFlight(2).build()) {
            client.authenticate();
            List<CompletableFuture<JsonNode>> held = IntStream.range(0, 2)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", "held" + i))))
                    .toList();
            await().until(() -> G2Gate.calls(server) == 2);

            CompletableFuture<JsonNode> third = startOnCaller(client, "third");

            assertThat(third).isNotDone();
            assertThat(G2Gate.calls(server)).isEqualTo(2);
            gate.open();
            assertThat(third.get(5, TimeUnit.SECONDS).asText()).isEqualTo("third");
            assertThat(held.get(1).get(5, TimeUnit.SECONDS).asText()).isEqualTo("held1");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void theFirstCallReturnsBeforeTheServerWelcomesItsConnectionAndCompletesAfter() throws Exception {
        HpxTestServer server = hpx.server();
        server.faults().nextWelcome(Fault.delay(WELCOME_DELAY));
        try (HpxClient client = client(server).build()) {
            CompletableFuture<JsonNode> first = startOnCaller(client, "first");

            assertThat(first).isNotDone();
            assertThat(first.get(10, TimeUnit.SECONDS).asText()).isEqualTo("first");
        }
    }

    /**
     * A client whose executor the application shut down says so: no room to wait for ({@link HpxClientBusyException})
     * would come back.
     */
    @Test
    void aCallRefusedByAnExecutorShutDownSaysSo() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.shutdown();
        try (HpxClient client = client(hpx.server()).executor(executor).build()) {
            // The client's first connection is opened on the executor.
            CompletableFuture<JsonNode> call = client.executeAsync(HpxRequest.function("echo", Map.of("value", 1)));

            assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(HpxConnectionException.class)
                    .isNotInstanceOf(HpxClientBusyException.class).hasMessageContaining("executor was shut down");
        }
    }

    /** The connect waited on the executor ends with the client: the caller's future fails typed, not later. */
    @Test
    void aCallThatNeedsAnotherConnectionReturnsBeforeItsWelcomeAndFailsWhenTheClientCloses() throws Exception {
        HpxTestServer server = hpx.server();
        HpxClient client = client(server).poolSize(2).maxInFlight(1).build();
        try (client) {
            client.authenticate();
            client.executeAsync(HpxRequest.function("hold", Map.of("value", "held")));
            await().until(() -> G2Gate.calls(server) == 1);
            server.faults().nextWelcome(Fault.noReply());

            CompletableFuture<JsonNode> second = startOnCaller(client, "second");

            assertThat(second).isNotDone();
            await().until(() -> server.openConnections() == 2);
            client.close();
            assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(HpxConnectionException.class);
        }
    }

    /**
     * While one client thread opens a connection whose welcome the server holds back, a call that needs one more of the
     * pool leaves its client thread free: the executor's other thread runs other work meanwhile (with e88f4fc's client
     * it waited for the open), and the call is sent once the open ended.
     */
    @Test
    void aCallThatNeedsAConnectionWhileAnotherOpensOneLeavesItsClientThreadFree() throws Exception {
        HpxTestServer server = hpx.server();
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        try (HpxClient client = client(server).poolSize(3).maxInFlight(1).executor(clientThreads).build()) {
            CompletableFuture<JsonNode> held = heldOnTheFirst(client, server);
            CompletableFuture<JsonNode> opener = openingTheSecond(client, server);

            CompletableFuture<JsonNode> next = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "next")));

            CompletableFuture.runAsync(() -> { }, clientThreads).get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(opener).isNotDone();
            assertThat(next.get(10, TimeUnit.SECONDS).asText()).isEqualTo("next");
            assertThat(opener.get(5, TimeUnit.SECONDS).asText()).isEqualTo("opener");
            gate.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /**
     * A blocking call that needs one more connection while another call opens one waits for that open on its own
     * thread, no longer than its deadline; one with time left looks again once the open ended (it takes the new
     * connection's slot once the opener's reply freed it, or opens the next). This held with the opening lock too: the
     * race that the claim of an open removed (a handed call waiting for that lock) cannot be forced from outside.
     */
    @Test
    void aBlockingCallThatNeedsAConnectionWhileAnotherOpensOneWaitsForItWithinItsDeadline() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = client(server).poolSize(3).maxInFlight(1).build()) {
            CompletableFuture<JsonNode> held = heldOnTheFirst(client, server);
            CompletableFuture<JsonNode> opener = openingTheSecond(client, server);
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.execute(HpxRequest.function("echo", Map.of("value", "short"))
                    .timeout(Duration.ofSeconds(1)))).isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("waiting for a connection being opened");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(RETURNS_WITHIN.toMillis());
            Future<JsonNode> patient = callers.submit(() -> client.call("echo", Map.of("value", "patient")));

            assertThat(patient.get(10, TimeUnit.SECONDS).asText()).isEqualTo("patient");
            assertThat(opener.get(5, TimeUnit.SECONDS).asText()).isEqualTo("opener");
            gate.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("held");
        }
    }

    /**
     * At most 10,000 calls wait for a connection being opened, as for a request slot: one more fails at once, typed;
     * those that waited are sent once the open ended.
     */
    @Test
    void atMostTenThousandCallsWaitForAConnectionBeingOpened() throws Exception {
        HpxTestServer server = hpx.server();
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        try (HpxClient client = client(server).poolSize(3).maxInFlight(1).executor(clientThreads).build()) {
            heldOnTheFirst(client, server);
            CompletableFuture<JsonNode> opener = openingTheSecond(client, server);
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, 10_000)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i)))).toList();
            // Each has left the executor's queue to wait for the open, holding no thread.
            CompletableFuture.runAsync(() -> { }, clientThreads).get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);

            CompletableFuture<JsonNode> oneMore = client.executeAsync(HpxRequest.function("echo", Map.of("value", -1)));

            assertThatThrownBy(() -> oneMore.get(RETURNS_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(HpxClientBusyException.class)
                    .hasMessageContaining("wait for a connection being opened");
            assertThat(opener).isNotDone();
            assertThat(opener.get(10, TimeUnit.SECONDS).asText()).isEqualTo("opener");
            gate.open();
            assertThat(waiting.get(0).get(20, TimeUnit.SECONDS).asInt()).isZero();
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /**
     * Calls handed to the executor at once, each needing a connection of its own (one slot each): each gets one. A
     * connection opened for one call has that call's slot taken before the others can see it; else another call could
     * take it first and leave the opener waiting for the slot while the pool could open one more (a race, so rounds).
     */
    @Test
    void callsHandedOverTogetherThatEachNeedAConnectionEachGetOne() {
        HpxTestServer server = hpx.server();
        for (int round = 0; round < 8; round++) {
            try (HpxClient client = client(server).poolSize(3).maxInFlight(1).build()) {
                client.authenticate();
                long before = G2Gate.calls(server);
                // Long enough that no reply frees a connection before the last call is sent, even on a slow machine;
                // the round does not wait for them: closing the client ends the calls.
                for (int i = 0; i < 3; i++) {
                    server.faults().nextReply(Fault.delay(Duration.ofSeconds(3)));
                }
                IntStream.range(0, 3).forEach(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i))));
                await().pollInterval(Duration.ofMillis(5)).until(() -> G2Gate.calls(server) == before + 3);

                assertThat(client.openConnections()).as("round %d", round).isEqualTo(3);
            }
        }
    }
}
