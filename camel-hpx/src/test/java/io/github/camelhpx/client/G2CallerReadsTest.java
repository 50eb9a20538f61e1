package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Toxic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * G2: a blocking caller reads its own reply when the connection's reader is not reading. What it reads for others
 * reaches them on the reader thread, as if the reader had read it; a deadline that passes in the middle of a reply
 * leaves the rest of it to the reader, on the same connection.
 * <p>
 * The reader thread leaves an idle connection to blocking callers for an hour here (50 ms by default), so that a
 * blocking call made while nothing else is in flight reads for itself however slow the machine.
 */
@Tag("g2")
class G2CallerReadsTest {

    private static final Duration IDLE_WATCH = Duration.ofHours(1);

    private final G2Gate mine = new G2Gate("hold_mine");
    private final G2Gate other = new G2Gate("hold_other");
    private final ExecutorService callers = Executors.newSingleThreadExecutor();

    @RegisterExtension
    final HpxTestServerExtension hpx = G2Gate.server(4, mine, other);

    @AfterEach
    void openGates() {
        mine.open();
        other.open();
        callers.shutdownNow();
    }

    @Test
    void aReplyForAnotherCallReadByABlockingCallerCompletesItOnTheReaderThread() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = readingCallers(server).build()) {
            Future<JsonNode> held = holdingMineReadByItsCaller(client, server);
            CompletableFuture<Boolean> onReader = client.executeAsync(
                    HpxRequest.function("hold_other", Map.of("value", "other"))).thenApply(r -> HpxClient.onReaderThread());
            await().until(() -> received(server, "hold_other"));

            other.open();

            assertThat(onReader.get(5, TimeUnit.SECONDS)).as("what was chained ran on the reader thread").isTrue();
            assertThat(held).isNotDone();
            mine.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("mine");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    /**
     * A raw reply that a blocking caller reads for another call reaches that call whole, as the server encoded it: the
     * caller copies it out of the decoder's buffer, which it reads on into, and the raw reply keeps that copy.
     */
    @Test
    void aRawReplyReadForAnotherCallReachesItAsTheServerEncodedIt() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = readingCallers(server).build()) {
            Future<JsonNode> held = holdingMineReadByItsCaller(client, server);
            CompletableFuture<byte[]> raw = client.executeAsync(HpxRequest.batch(List.of(
                    FunctionCall.of("hold_other", Map.of("value", "other" + "x".repeat(10_000))))).raw());
            await().until(() -> received(server, "hold_other"));

            other.open();

            JsonNode reply = new ObjectMapper(new MessagePackFactory()).readTree(raw.get(5, TimeUnit.SECONDS));
            assertThat(reply.get("data").get(0).get("data").asText()).isEqualTo("other" + "x".repeat(10_000));
            assertThat(held).isNotDone();
            mine.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("mine");
        }
    }

    /** A reply bound through a deserializer that waits until released. */
    record SlowlyRead(String value) {
    }

    /**
     * A caller decodes its own reply only: one it read for another call is decoded by the reader thread. Here that
     * reply's deserializer holds whichever thread decodes it: the caller still ends at its deadline, and so does the
     * other call, whose reply is decoded while it is still in flight.
     */
    @Test
    void aReplyReadForAnotherCallIsDecodedOnTheReaderThreadAndBothCallsEndAtTheirDeadlines() throws Exception {
        HpxTestServer server = hpx.server();
        CountDownLatch releaseDecoding = new CountDownLatch(1);
        CompletableFuture<Boolean> decodedOnReader = new CompletableFuture<>();
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        ObjectMapper mapper = new ObjectMapper().registerModule(new SimpleModule().addDeserializer(SlowlyRead.class,
                new StdDeserializer<SlowlyRead>(SlowlyRead.class) {
                    @Override
                    public SlowlyRead deserialize(JsonParser p, DeserializationContext context) throws IOException {
                        decodedOnReader.complete(HpxClient.onReaderThread());
                        awaitQuietly(releaseDecoding);
                        return new SlowlyRead(p.getValueAsString());
                    }
                }));
        try (HpxClient client = readingCallers(server).objectMapper(mapper)
                .requestTimeout(Duration.ofSeconds(10)).build();
             AutoCloseable release = releaseDecoding::countDown) {
            Future<Throwable> held = readingItsOwnReply(client, HpxRequest.function("hold_mine",
                    Map.of("value", "mine")).timeout(Duration.ofSeconds(4)), caller);
            await().until(() -> received(server, "hold_mine"));
            // The caller reads: the reply to the call below comes to it.
            awaitReading(caller);
            CompletableFuture<SlowlyRead> slow = client.executeAsync(HpxRequest.function("hold_other",
                    Map.of("value", "other")).as(SlowlyRead.class).timeout(Duration.ofSeconds(2)));
            await().until(() -> received(server, "hold_other"));

            other.open();

            assertThat(decodedOnReader.get(5, TimeUnit.SECONDS)).as("decoded on the reader thread").isTrue();
            assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).as("the other call ended at its deadline")
                    .hasCauseInstanceOf(HpxTimeoutException.class);
            assertThat(held.get(10, TimeUnit.SECONDS)).as("the caller ended at its deadline, the decoding held")
                    .isInstanceOf(HpxTimeoutException.class);
            releaseDecoding.countDown();
            mine.open();
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aBroadcastReadByABlockingCallerReachesTheListenersOnTheReaderThread() throws Exception {
        HpxTestServer server = hpx.server();
        List<Boolean> heardOnReader = new CopyOnWriteArrayList<>();
        try (HpxClient client = readingCallers(server).build();
             AutoCloseable listening = client.onBroadcast(b -> heardOnReader.add(HpxClient.onReaderThread()))) {
            Future<JsonNode> held = holdingMineReadByItsCaller(client, server);

            server.broadcast(1);

            await().until(() -> heardOnReader.size() == 1);
            assertThat(heardOnReader).containsExactly(true);
            mine.open();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("mine");
        }
    }

    /**
     * What a blocking caller read before its own reply reaches the listeners before that caller goes on, as when the
     * reader thread reads it all: here the broadcast's listener holds the reader, and the caller, which read its
     * reply, waits for the listener before it returns.
     */
    @Test
    void aBroadcastReadBeforeACallersReplyReachesTheListenersBeforeTheCallerGoesOn() throws Exception {
        HpxTestServer server = hpx.server();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch listenerHeld = new CountDownLatch(1);
        CountDownLatch releaseListener = new CountDownLatch(1);
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        try (HpxClient client = readingCallers(server).requestTimeout(Duration.ofSeconds(10)).build();
             AutoCloseable listening = client.onBroadcast(b -> {
                 order.add("broadcast");
                 listenerHeld.countDown();
                 awaitQuietly(releaseListener);
             });
             AutoCloseable release = releaseListener::countDown) {
            Future<JsonNode> held = callers.submit(() -> {
                caller.complete(Thread.currentThread());
                JsonNode reply = client.call("hold_mine", Map.of("value", "mine"));
                order.add("returned");
                return reply;
            });
            replyBehindAHeldListener(server, listenerHeld, caller);

            assertThat(held).isNotDone();
            releaseListener.countDown();
            assertThat(held.get(5, TimeUnit.SECONDS).asText()).isEqualTo("mine");
            assertThat(order).containsExactly("broadcast", "returned");
        }
    }

    /**
     * A caller that waits for a held listener, as above, when the client is closed: the wait ends with the call,
     * not with the call's deadline, which is far off.
     */
    @Test
    void aCallerWaitingForAHeldListenerEndsWhenTheClientIsClosed() throws Exception {
        HpxTestServer server = hpx.server();
        CountDownLatch listenerHeld = new CountDownLatch(1);
        CountDownLatch releaseListener = new CountDownLatch(1);
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        HpxClient client = readingCallers(server).requestTimeout(Duration.ofSeconds(60)).build();
        try (AutoCloseable closing = client;
             AutoCloseable listening = client.onBroadcast(b -> {
                 listenerHeld.countDown();
                 awaitQuietly(releaseListener);
             });
             AutoCloseable release = releaseListener::countDown) {
            Future<Throwable> held = readingItsOwnReply(client, HpxRequest.function("hold_mine",
                    Map.of("value", "mine")), caller);
            replyBehindAHeldListener(server, listenerHeld, caller);

            // Closed from another thread: closing must not depend on the held listener either.
            CompletableFuture<Void> closed = CompletableFuture.runAsync(client::close);

            assertThat(held.get(5, TimeUnit.SECONDS)).as("the call ends with the client, still in its deadline")
                    .isInstanceOf(HpxConnectionException.class);
            assertThat(releaseListener.getCount()).as("the listener is still held").isEqualTo(1);
            closed.get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A broadcast, which the listener holds, then the reply to the caller's {@code hold_mine}: the caller, which read
     * both, waits for that listener before its reply completes.
     */
    private void replyBehindAHeldListener(HpxTestServer server, CountDownLatch listenerHeld,
            CompletableFuture<Thread> caller) throws Exception {
        await().until(() -> received(server, "hold_mine"));
        server.broadcast(1);
        assertThat(listenerHeld.await(5, TimeUnit.SECONDS)).isTrue();
        mine.open();
        Thread callerThread = caller.get(5, TimeUnit.SECONDS);
        await().until(() -> List.of(callerThread.getStackTrace()).toString().contains("awaitHanded"));
    }

    /** On the caller thread: {@code hold_mine}, whose reply its caller reads for itself; once the caller reads. */
    private Future<JsonNode> holdingMineReadByItsCaller(HpxClient client, HpxTestServer server) throws Exception {
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        Future<JsonNode> held = callers.submit(() -> {
            caller.complete(Thread.currentThread());
            return client.call("hold_mine", Map.of("value", "mine"));
        });
        await().until(() -> received(server, "hold_mine"));
        awaitReading(caller);
        return held;
    }

    /** Waits until {@code caller}'s thread reads the socket for its own reply. */
    private static void awaitReading(CompletableFuture<Thread> caller) throws Exception {
        Thread callerThread = caller.get(5, TimeUnit.SECONDS);
        await().until(() -> List.of(callerThread.getStackTrace()).toString().contains("readOwnReply"));
    }

    /**
     * On the caller thread, which it tells {@code caller}: {@code request}, which reads its own reply; what it failed
     * with, or {@code null}.
     */
    private Future<Throwable> readingItsOwnReply(HpxClient client, HpxRequest<?> request,
            CompletableFuture<Thread> caller) {
        return callers.submit(() -> {
            caller.complete(Thread.currentThread());
            try {
                client.execute(request);
                return null;
            } catch (HpxException e) {
                return e;
            }
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBlockingCallerInterruptedWhileItReadsEndsAtOnceAndTheConnectionGoesOn() throws Exception {
        HpxTestServer server = hpx.server();
        try (HpxClient client = readingCallers(server).requestTimeout(Duration.ofSeconds(10)).build()) {
            Future<Throwable> held = readingItsOwnReply(client, HpxRequest.function("hold_mine",
                    Map.of("value", "mine")), new CompletableFuture<>());
            await().until(() -> received(server, "hold_mine"));
            long start = System.nanoTime();

            callers.shutdownNow();

            assertThat(held.get(5, TimeUnit.SECONDS)).isInstanceOf(HpxConnectionException.class)
                    .hasMessageContaining("interrupted");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
            mine.open();
            // Its reply, when it comes, is read by the reader and dropped; the connection stays.
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
            assertThat(client.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aDeadlineThatPassesInTheMiddleOfAReplyLeavesTheRestToTheReaderOnTheSameConnection() throws Exception {
        HpxTestServer server = hpx.server();
        // About 2 s for the big reply: the call's 700 ms end in the middle of it. Small replies take milliseconds.
        String big = "x".repeat(300_000);
        try (HpxFaultProxy proxy = HpxFaultProxy.builder().upstream(server.host(), server.port()).build().start()
                .everyConnection(Toxic.bandwidth(Toxic.Direction.DOWNSTREAM, 150_000));
             HpxClient client = HpxClient.builder().host(proxy.host()).port(proxy.port()).poolSize(1)
                     .idleWatchDelay(IDLE_WATCH).requestTimeout(Duration.ofSeconds(10)).build()) {
            // Connected first: the call's 700 ms are for the reply only.
            client.call("echo", Map.of("value", "first"));
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.execute(HpxRequest.function("echo", Map.of("value", big))
                    .timeout(Duration.ofMillis(700)))).isInstanceOf(HpxTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_700);

            // Sent behind the rest of the big reply, which is read and dropped: the frame went on where it stopped.
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
            assertThat(client.openConnections()).isEqualTo(1);
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }
    }

    private static HpxClient.Builder readingCallers(HpxTestServer server) {
        return TestClients.to(server).poolSize(1).idleWatchDelay(IDLE_WATCH);
    }

    private static boolean received(HpxTestServer server, String function) {
        return server.receivedMessages().stream().anyMatch(m -> String.valueOf(m.data()).contains(function));
    }
}
