package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** G2: a broken connection fails every call in flight on it at once, long before their deadline. */
@Tag("g2")
class G2ConnectionLossTest {

    private static final int IN_FLIGHT = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Far below the calls' deadline: they ended because the connection broke, not by timing out. */
    private static final long BOUND_MILLIS = 5_000;

    private final G2Gate gate = new G2Gate();

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .concurrentReplies(IN_FLIGHT)
            .function(FunctionSpec.echo())
            .function(gate.function()));

    @AfterEach
    void openGate() {
        gate.open();
    }

    /** Sixteen held calls in flight on the client's one connection, each recording when it completed. */
    private record InFlight(List<CompletableFuture<JsonNode>> calls, AtomicLongArray endedAt) {

        static InFlight start(HpxTestServer server, HpxClient client) {
            client.authenticate();
            int before = server.receivedMessages().size();
            AtomicLongArray endedAt = new AtomicLongArray(IN_FLIGHT);
            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, IN_FLIGHT)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("hold", Map.of("value", "c" + i)))
                            .whenComplete((r, e) -> endedAt.set(i, System.nanoTime())))
                    .toList();
            // every request is in the server's hands (its handlers wait at the gate)
            await().until(() -> server.receivedMessages().size() == before + IN_FLIGHT);
            assertThat(client.openConnections()).isEqualTo(1);
            return new InFlight(calls, endedAt);
        }

        /** Waits for every call (bounded) and returns the failures; asserts they all ended within the bound. */
        List<Throwable> failuresAfter(long releasedAt) {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .handle((r, e) -> null).orTimeout(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS).join();
            long first = Long.MAX_VALUE;
            long last = 0;
            for (int i = 0; i < IN_FLIGHT; i++) {
                first = Math.min(first, endedAt.get(i));
                last = Math.max(last, endedAt.get(i));
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(last - releasedAt)).as("all ended soon after the break")
                    .isLessThan(BOUND_MILLIS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(last - first)).as("all ended together").isLessThan(3_000);
            return calls.stream().map(c -> {
                try {
                    c.join();
                    return (Throwable) null;
                } catch (CompletionException e) {
                    return e.getCause();
                }
            }).toList();
        }
    }

    private void assertClientWorksAfterwards(HpxClient client) {
        assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
        assertThat(client.openConnections()).isEqualTo(1);
        await().until(() -> hpx.server().openConnections() == 1);
    }

    @Test
    void frameCutMidwayFailsAllSixteenCallsAtOnce() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(TIMEOUT).build()) {
            InFlight inFlight = InFlight.start(server, client);
            // whichever reply goes first is cut after half its bytes, and the connection with it
            for (int i = 0; i < IN_FLIGHT; i++) {
                server.faults().nextReply(Fault.cutMidFrame());
            }

            long released = System.nanoTime();
            gate.open();

            assertThat(inFlight.failuresAfter(released)).hasSize(IN_FLIGHT).allSatisfy(failure ->
                    assertThat(failure).isInstanceOfSatisfying(HpxServerDisconnectedException.class,
                            e -> assertThat(e.isMidMessage()).isTrue()));
            server.faults().clear();
            assertClientWorksAfterwards(client);
        }
    }

    @Test
    void serverClosingTheConnectionFailsAllSixteenCallsAtOnceWhenRetryIsOff() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(TIMEOUT)
                .retryOnConnectionFailure(false).build()) {
            InFlight inFlight = InFlight.start(server, client);
            // every reply is a close: none can slip out whole before the connection goes
            for (int i = 0; i < IN_FLIGHT; i++) {
                server.faults().nextReply(Fault.close());
            }

            long released = System.nanoTime();
            gate.open();

            assertThat(inFlight.failuresAfter(released)).hasSize(IN_FLIGHT).allSatisfy(failure ->
                    assertThat(failure).isInstanceOfSatisfying(HpxServerDisconnectedException.class,
                            e -> assertThat(e.isMidMessage()).isFalse()));
            server.faults().clear();
            assertClientWorksAfterwards(client);
        }
    }

    @Test
    void serverClosingBeforeAnyReplyByteGetsEachCallRetriedOnceOnANewConnection() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(TIMEOUT).build()) {
            InFlight inFlight = InFlight.start(server, client);
            server.faults().nextReply(Fault.close());

            long released = System.nanoTime();
            gate.open();

            List<Throwable> failures = inFlight.failuresAfter(released);
            assertThat(failures).containsOnlyNulls();
            for (int i = 0; i < IN_FLIGHT; i++) {
                assertThat(inFlight.calls().get(i).join().asText()).isEqualTo("c" + i);
            }
            // the handshake, the 16 on the first connection, then each retried at most once on the second (a
            // reply written before the close had taken effect needs no retry)
            assertThat(server.receivedMessages()).hasSizeBetween(1 + IN_FLIGHT + 1, 1 + 2 * IN_FLIGHT);
            assertThat(server.receivedMessages()).extracting(m -> m.connectionId()).containsOnly(1L, 2L);
            assertClientWorksAfterwards(client);
        }
    }

    /**
     * With retryOnConnectionFailure off, a call the server may have run fails; one that waited for the connection's
     * only slot and never went out is sent on a new connection, once, since it cannot have run.
     */
    @Test
    void aCallNeverSentIsRetriedEvenWhenRetryIsOff() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).maxInFlight(1).requestTimeout(TIMEOUT)
                .retryOnConnectionFailure(false).build()) {
            client.authenticate();
            CompletableFuture<JsonNode> sent = client.executeAsync(HpxRequest.function("hold", Map.of("value", "a")));
            await().until(() -> server.receivedMessages().size() == 2);
            CompletableFuture<String> waiting = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    waiting.complete(client.call("echo", Map.of("value", "b")).asText());
                } catch (RuntimeException e) {
                    waiting.completeExceptionally(e);
                }
            });
            caller.start();
            // Its turn comes when the held call ends: it waits for the one slot, nothing of it written yet.
            await().until(() -> G2Gate.waitsForASlot(caller));
            server.faults().nextReply(Fault.close());

            gate.open();

            assertThat(sent).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(HpxServerDisconnectedException.class);
            assertThat(waiting).succeedsWithin(TIMEOUT).isEqualTo("b");
            assertThat(server.receivedMessages()).filteredOn(m -> m.data() != null && m.data().toString().contains("\"b\""))
                    .extracting(m -> m.connectionId()).containsExactly(2L);
            caller.join(TIMEOUT.toMillis());
        } finally {
            server.faults().clear();
        }
    }

    /**
     * A caller whose write finds the connection gone ends its own call at once: the other calls in flight fail on
     * the connection's reader, and their retries (here a connect whose welcome takes 3 s) do not run on the
     * caller's thread first. The reader is held up by a caller's continuation, so the write sees the break first.
     */
    @Test
    void aCallerWhoseWriteFindsTheConnectionGoneDoesNotRunTheOtherCallsRetries() throws Exception {
        HpxTestServer server = hpx.server();
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(TIMEOUT).build()) {
            client.authenticate();
            // Late enough that the stage below is chained before the reply comes, and so runs on the reader.
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(1)));
            client.executeAsync(HpxRequest.function("echo", Map.of("value", "holds the reader"))).thenAccept(r -> {
                readerHeld.countDown();
                awaitQuietly(release);
            });
            assertThat(readerHeld.await(5, TimeUnit.SECONDS)).isTrue();
            int before = server.receivedMessages().size();
            CompletableFuture<JsonNode> other = client.executeAsync(HpxRequest.function("echo", Map.of("value", "other")));
            await().until(() -> server.receivedMessages().size() == before + 1);
            server.faults().nextReply(Fault.close()).nextWelcome(Fault.delay(Duration.ofSeconds(3)));
            client.executeAsync(HpxRequest.function("echo", Map.of("value", "closes")));
            await().until(() -> server.openConnections() == 0);

            // The first write after the close draws the reset (that probe times out waiting for its reply); the write
            // of a later one fails, and that probe's own retry runs out of its 300 ms waiting for the new welcome.
            long[] tookMillis = new long[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                long start = System.nanoTime();
                try {
                    client.execute(HpxRequest.function("echo", Map.of("value", "probe")).timeout(Duration.ofMillis(300)));
                    return false;
                } catch (HpxException e) {
                    tookMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    return !e.getMessage().contains("while waiting for the reply");
                }
            });

            // Below the new welcome's 3 s delay: the probe did not wait for it.
            assertThat(tookMillis[0]).isLessThan(2_500);
            release.countDown();
            assertThat(other.handle((r, e) -> "ended").get(TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS))
                    .isEqualTo("ended");
        } finally {
            release.countDown();
            server.faults().clear();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
