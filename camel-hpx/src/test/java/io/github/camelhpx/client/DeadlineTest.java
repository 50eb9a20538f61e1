package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.internal.MultiplexedConnection;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One deadline per call: {@code requestTimeout} bounds the whole call (pool, connect and welcome, the check of a
 * pooled connection, handshake, reply), never each wait on its own, and the failure names the phase that ran out.
 */
class DeadlineTest {

    private static final Duration LONG_CONNECT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofMillis(1000);

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static HpxClient.Builder scripted(ScriptedServer server, Duration requestTimeout) {
        return HpxClient.builder().host(server.host()).port(server.port()).clientName("deadline-test")
                .connectTimeout(LONG_CONNECT).requestTimeout(requestTimeout);
    }

    /** Logs in, then sends a call the server answers only after {@code delay}; returns once the server has it. */
    private static CompletableFuture<JsonNode> heldCall(HpxTestServer server, HpxClient client, Duration delay) {
        client.authenticate();
        int before = server.receivedMessages().size();
        server.faults().nextReply(Fault.delay(delay));
        CompletableFuture<JsonNode> holder = client.executeAsync(
                HpxRequest.function("echo", Map.of("value", "holder")).timeout(Duration.ofSeconds(5)));
        await().until(() -> server.receivedMessages().size() == before + 1);
        return holder;
    }

    private static ScriptedServer.Action version(int connection) {
        return ScriptedServer.Action.reply(List.of(Map.of("fname", "get_version", "data", "connection " + connection)));
    }

    @Test
    void aTimeoutTooLongToCountInNanosecondsIsRefusedWhereItIsGiven() {
        Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();

        assertThatThrownBy(() -> HpxClient.builder().requestTimeout(forever))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> HpxClient.builder().connectTimeout(Duration.ofDays(365L * 200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> HpxRequest.function("get_version", java.util.Map.of()).timeout(forever))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Tag("g1")
    void strayBytesAfterAReplyCostTheNextCallMillisecondsNotTheConnectTimeout() {
        Duration requestTimeout = Duration.ofSeconds(2);
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> connection == 1 && call == 1
                ? version(connection).thenStray("<E".getBytes(StandardCharsets.US_ASCII))
                : version(connection));
             HpxClient client = scripted(server, requestTimeout).poolSize(1).build()) {
            assertThat(client.call("get_version").asText()).isEqualTo("connection 1");

            long start = System.nanoTime();
            JsonNode next = client.call("get_version");

            // The stray bytes retire the connection after a short look, not after a wait for a frame that never ends.
            assertThat(next.asText()).isEqualTo("connection 2");
            assertThat(millisSince(start)).isLessThan(requestTimeout.toMillis());
        }
    }

    @Test
    void silentServerFailsTheCallAtItsRequestTimeoutNotItsConnectTimeout() throws IOException {
        Duration requestTimeout = Duration.ofMillis(800);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HpxClient client = HpxClient.builder().host("127.0.0.1").port(silent.getLocalPort())
                     .connectTimeout(LONG_CONNECT).requestTimeout(requestTimeout).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("get_version"))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout + " while waiting for the welcome");
            assertThat(millisSince(start)).isBetween(requestTimeout.toMillis() - 50, requestTimeout.plus(GRACE).toMillis());
        }
    }

    @Test
    void slowHandshakeAndSlowReplyShareOneDeadline() {
        HpxTestServer server = HPX.server();
        Duration requestTimeout = Duration.ofMillis(2000);
        try (HpxClient client = TestClients.to(server).requestTimeout(requestTimeout).build()) {
            // A second of slack each way on a loaded machine: the handshake ends well within the timeout, and the
            // reply, later still, cannot come within it.
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1000)));   // the handshake
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1500)));   // the call
            long start = System.nanoTime();

            // Each wait alone fits in the timeout; together they do not.
            assertThatThrownBy(() -> client.call("echo", Map.of("value", 1)))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout + " while waiting for the reply");
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
        }
    }

    /** Interrupted while it waits for a pooled connection, a call ends at once, typed, and its thread stays interrupted. */
    @Test
    @Tag("g1")
    void aCallInterruptedWhileWaitingForAPooledConnectionEndsAtOnceAndKeepsTheInterrupt() {
        HpxTestServer server = HPX.server();
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(Duration.ofSeconds(30)).build()) {
            client.authenticate();
            int before = server.receivedMessages().size();
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(3)));
            CompletableFuture<JsonNode> holder = client.executeAsync(HpxRequest.function("echo", Map.of("value", 1)));
            await().until(() -> server.receivedMessages().size() == before + 1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    client.call("echo", Map.of("value", 2));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("not interrupted", t));
                }
            }, "waiter");
            waiter.start();
            await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING
                    && List.of(waiter.getStackTrace()).toString().contains("borrowObject"));

            waiter.interrupt();

            assertThat(outcome).succeedsWithin(Duration.ofSeconds(5)).asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                    .isInstanceOf(HpxConnectionException.class)
                    .hasMessage("interrupted while waiting for a free HPX connection");
            assertThat(holder.join().asInt()).isEqualTo(1);
        }
    }

    @Test
    @Tag("g1")
    void timeWaitedForAPooledConnectionCountsAgainstTheCall() {
        HpxTestServer server = HPX.server();
        Duration requestTimeout = Duration.ofMillis(2000);
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(requestTimeout).build()) {
            client.authenticate();
            int before = server.receivedMessages().size();
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1500)));   // the first caller's
            server.faults().nextReply(Fault.delay(Duration.ofMillis(1500)));   // the second caller's
            CompletableFuture<JsonNode> holder = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "holder")).timeout(Duration.ofSeconds(5)));
            await().until(() -> server.receivedMessages().size() == before + 1);
            long start = System.nanoTime();

            // ~1.5 s for the connection (less the time the wait above took to see the first call), then 1.5 s for the
            // reply: more than the call's 2 s, by a second.
            assertThatThrownBy(() -> client.call("echo", Map.of("value", "waiter")))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout);
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
            assertThat(holder.join().asText()).isEqualTo("holder");
        }
    }

    @Test
    @Tag("g1")
    void callThatNeverGetsAConnectionSaysSo() {
        HpxTestServer server = HPX.server();
        Duration requestTimeout = Duration.ofMillis(500);
        try (HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(requestTimeout).build()) {
            CompletableFuture<JsonNode> holder = heldCall(server, client, Duration.ofMillis(2000));
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("echo", Map.of("value", "waiter")))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout + " while waiting for a free connection");
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
            assertThat(holder.join().asText()).isEqualTo("holder");
        }
    }

    /**
     * G2: the client's one timer thread ends calls at their deadline. What a caller chained to such a call (a Camel
     * route's redelivery, which may sleep) runs on another thread, and holds up no other call's deadline.
     */
    @Test
    @Tag("g2")
    void whatIsChainedToACallEndedByItsDeadlineRunsOffTheTimerAndHoldsUpNoOtherDeadline() throws Exception {
        HpxTestServer server = HPX.server();
        Duration otherTimeout = Duration.ofMillis(1500);
        CountDownLatch release = new CountDownLatch(1);
        // Long enough that the stage below is chained before the deadline ends the call, even on a loaded machine.
        try (HpxClient client = TestClients.to(server).requestTimeout(Duration.ofSeconds(1)).build()) {
            client.authenticate();
            server.faults().nextReply(Fault.noReply()).nextReply(Fault.noReply());
            long start = System.nanoTime();

            CompletableFuture<String> slow = client.executeAsync(HpxRequest.function("echo", Map.of("value", "slow")))
                    .handle((result, failure) -> {
                        String thread = Thread.currentThread().getName();
                        try {
                            release.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return thread;
                    });
            CompletableFuture<JsonNode> other = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "other")).timeout(otherTimeout));

            assertThatThrownBy(other::join).hasCauseInstanceOf(HpxTimeoutException.class);
            assertThat(millisSince(start)).isLessThan(otherTimeout.plus(GRACE).toMillis());
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS)).startsWith("hpx-client-expired-");
        } finally {
            release.countDown();
            server.faults().clear();
        }
    }

    /** G1: an asynchronous call holds a client thread; one still queued for a thread at its deadline ends then. */
    @Test
    @Tag("g1")
    void anAsynchronousCallStillQueuedForAThreadEndsAtItsDeadline() {
        HpxTestServer server = HPX.server();
        Duration requestTimeout = Duration.ofMillis(600);
        ExecutorService oneThread = Executors.newSingleThreadExecutor();
        try (HpxClient client = TestClients.to(server).executor(oneThread).requestTimeout(requestTimeout).build()) {
            CompletableFuture<JsonNode> holder = heldCall(server, client, Duration.ofMillis(2500));
            int sent = server.receivedMessages().size();
            long start = System.nanoTime();

            CompletableFuture<JsonNode> queued = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "queued")));

            assertThatThrownBy(queued::join).hasCauseInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout + " while waiting for a client thread");
            assertThat(millisSince(start)).isBetween(requestTimeout.toMillis() - 50,
                    requestTimeout.plus(GRACE).toMillis());
            assertThat(holder.join().asText()).isEqualTo("holder");
            assertThat(server.receivedMessages()).hasSize(sent);
        } finally {
            server.faults().clear();
            oneThread.shutdownNow();
        }
    }

    /**
     * A call that timed out leaves its connection closed; the pool must not open the replacement on the failing
     * call's thread (commons-pool's invalidateObject adds an object), outside its deadline, up to the connect timeout.
     */
    @Test
    @Tag("g1")
    void timedOutCallReturnsAtItsDeadlineEvenWhenTheNextConnectionWouldNotWelcome() {
        Duration requestTimeout = Duration.ofMillis(800);
        try (ScriptedServer server = ScriptedServer.startWithSilentConnections(Set.of(2),
                (connection, call, request) -> ScriptedServer.Action.silence());
             HpxClient client = scripted(server, requestTimeout).poolSize(1).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("get_version"))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("while waiting for the reply");
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
        }
    }

    /**
     * G1: a call that timed out returns its closed connection while another call waits for one; commons-pool would
     * open the waiter's on the returning thread, which waited for that connect (here a server that never welcomes)
     * long past its own deadline. The waiter gets its connection from the pool's refill, within its own deadline.
     */
    @Test
    @Tag("g1")
    void aCallThatTimedOutReturnsAtItsDeadlineWhileAnotherWaitsForItsConnection() {
        Duration requestTimeout = Duration.ofMillis(800);
        Duration waiterTimeout = Duration.ofSeconds(3);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (ScriptedServer server = ScriptedServer.startWithSilentConnections(Set.of(2),
                (connection, call, request) -> ScriptedServer.Action.silence());
             HpxClient client = scripted(server, requestTimeout).poolSize(1).build()) {
            long start = System.nanoTime();
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> {
                assertThatThrownBy(() -> client.call("get_version")).isInstanceOf(HpxTimeoutException.class)
                        .hasMessageContaining("while waiting for the reply");
                return millisSince(start);
            }, callers);
            await().until(() -> server.callsReceived() == 1);

            CompletableFuture<JsonNode> waiter = CompletableFuture.supplyAsync(() -> client.execute(
                    HpxRequest.function("get_version", Map.of()).timeout(waiterTimeout)), callers);

            assertThat(first.join()).isLessThan(requestTimeout.plus(GRACE).toMillis());
            assertThatThrownBy(waiter::join).hasCauseInstanceOf(HpxTimeoutException.class);
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(waiterTimeout).plus(GRACE).toMillis());
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Deadlines are kept by closing the socket when one passes (reads block, no socket timeout): a call's deadline
     * must end with the call, or its idle connection would be closed under the next one.
     */
    @Test
    void aConnectionOutlivesTheDeadlinesOfTheCallsItCarried() {
        Duration requestTimeout = Duration.ofSeconds(1);
        try (HpxClient client = TestClients.to(HPX.server()).requestTimeout(requestTimeout).poolSize(1).build()) {
            client.call("echo", Map.of("value", "first"));
            // The server notices the connections of earlier tests close in its own time.
            await().atMost(Duration.ofSeconds(10)).until(() -> HPX.server().openConnections() == 1);

            await().during(requestTimeout.multipliedBy(2)).atMost(requestTimeout.multipliedBy(3))
                    .until(() -> HPX.server().openConnections() == 1);

            assertThat(client.call("echo", Map.of("value", "second")).asText()).isEqualTo("second");
            assertThat(HPX.server().openConnections()).isEqualTo(1);
        }
    }

    /** A client executor whose queue is full: it refuses every task. */
    private static final Executor REFUSING = task -> {
        throw new RejectedExecutionException("queue full");
    };

    /** A random request of several MiB, more than the socket's buffers hold. */
    private static String largeValue() {
        return TestClients.randomText(6 * 1024 * 1024);
    }

    private static HpxFaultProxy stallingProxy() {
        return TestClients.stallingProxy(HPX.server());
    }

    private static HpxClient.Builder through(HpxFaultProxy proxy, Duration requestTimeout) {
        return HpxClient.builder().host(proxy.host()).port(proxy.port()).connectTimeout(LONG_CONNECT)
                .requestTimeout(requestTimeout).maxMessageSize(64L * 1024 * 1024).poolSize(1);
    }

    /** A server that stops reading fills the socket's buffers: the write of a large request ends at the deadline too. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // a write without a bound never returns
    void aRequestTheServerStopsReadingEndsAtItsDeadline() {
        Duration requestTimeout = Duration.ofMillis(1500);
        String large = largeValue();
        try (HpxFaultProxy proxy = stallingProxy(); HpxClient client = through(proxy, requestTimeout).build()) {
            client.authenticate();
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("echo", Map.of("value", large)))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("ran out of its " + requestTimeout);
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
        }
    }

    /**
     * G2: requests that ran out of time waiting for another request's write never went out, so no reply will come
     * for them: the connection must not count them in flight for the rest of its life (the pool took it for busy,
     * and opened more connections for later calls).
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requestsThatTimedOutBeforeTheyWereSentAreNotLeftInFlight() {
        whileAWriteIsStuck(null, 12, (client, callers) -> {
            // Each is queued behind the stuck write, and its deadline's sweep ends it.
            List<CompletableFuture<JsonNode>> waiting = IntStream.range(0, 10)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.execute(HpxRequest.function("echo",
                            Map.of("value", i)).timeout(Duration.ofMillis(300))), callers))
                    .toList();
            waiting.forEach(call -> assertThatThrownBy(call::join).hasCauseInstanceOf(HpxTimeoutException.class));
            return () -> { };
        });
    }

    /**
     * G2: an asynchronous call that finds another request's write stuck (the server stopped reading) gets its future
     * back at once: its thread (a route's, an event loop) does not wait for the write, a client thread does, within
     * the call's deadline, and writes the request once the server reads again.
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAsynchronousCallDoesNotWaitOnItsThreadForAnotherRequestsStuckWrite() {
        whileAWriteIsStuck(null, 1, (client, callers) -> {
            long start = System.nanoTime();

            CompletableFuture<JsonNode> queued = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "queued")).timeout(Duration.ofSeconds(8)));

            // Before: the thread waited for the write lock, up to the call's 8 s.
            assertThat(millisSince(start)).isLessThan(2000);
            assertThat(queued).isNotDone();
            return () -> assertThat(queued.join().asText()).isEqualTo("queued");
        });
    }

    /**
     * G2: the thread whose write was stuck writes the requests queued behind it once the server reads again, up to
     * {@link MultiplexedConnection#WRITES_PER_TURN} writes in all, and leaves the rest to a client thread: every
     * queued call is answered. (Without the hand-over the rest would wait for the next call's write, or time out.)
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whatIsQueuedBeyondAWritersTurnIsWrittenByAClientThread() {
        whileAWriteIsStuck(null, 1, (client, callers) -> {
            List<CompletableFuture<JsonNode>> queued = queueBehindTheStuckWrite(client, "written-");
            return () -> {
                assertAnswered(queued, "written-", queued.size());
                // In the order they came, the client thread's after the writer's.
                List<String> sent = sentWith("written-");
                assertThat(sent).hasSize(queued.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertThat(sent.get(i)).contains("\"written-" + i + "\"");
                }
            };
        });
    }

    /**
     * G2: what a writer leaves queued beyond its turn, should the client's executor refuse it (its queue full), fails
     * at once, typed, and was never sent: the slots are given back, and the connection serves the next call. What
     * fit in the writer's turn is answered.
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whatIsQueuedBeyondAWritersTurnFailsAtOnceWhenTheExecutorRefusesIt() {
        whileAWriteIsStuck(REFUSING, 1, (client, callers) -> {
            List<CompletableFuture<JsonNode>> queued = queueBehindTheStuckWrite(client, "refused-");
            return () -> {
                // The stuck request was the writer's first write of its turn.
                int written = MultiplexedConnection.WRITES_PER_TURN - 1;
                assertAnswered(queued, "refused-", written);
                for (int i = written; i < queued.size(); i++) {
                    assertThatThrownBy(queued.get(i)::join).hasCauseInstanceOf(HpxClientBusyException.class)
                            .hasMessageContaining("its executor refused this one");
                }
                assertThat(sentWith("refused-")).as("sent").hasSize(written);
            };
        });
    }

    /**
     * G2: a caller's thread writes others' queued requests only when they are due no later than its own call: a write
     * of one due later, stuck behind a server slow to read, would hold the caller past its deadline. Such a request is
     * left to a client thread; here the executor refuses it, which shows who was to write it.
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCallersThreadLeavesARequestDueAfterItsOwnCallToAClientThread() {
        String large = largeValue();
        ExecutorService callers = Executors.newFixedThreadPool(1);
        try (HpxFaultProxy proxy = stallingProxy();
                HpxClient client = through(proxy, Duration.ofSeconds(15)).executor(REFUSING).build()) {
            CompletableFuture<JsonNode> stuck = stuckWrite(client, large, callers);
            CompletableFuture<JsonNode> sooner = client.executeAsync(HpxRequest.function("echo",
                    Map.of("value", "sooner")).timeout(Duration.ofSeconds(5)));
            CompletableFuture<JsonNode> later = client.executeAsync(HpxRequest.function("echo",
                    Map.of("value", "later")).timeout(Duration.ofSeconds(30)));

            proxy.releaseStalls();

            assertThat(stuck.join().asText()).isEqualTo(large);
            assertThat(sooner.join().asText()).isEqualTo("sooner");
            assertThatThrownBy(later::join).hasCauseInstanceOf(HpxClientBusyException.class);
            assertThat(sentWith("later")).as("sent").isEmpty();
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * G2: a caller whose request is queued behind one due later, left to a client thread, writes its own ahead of it
     * rather than leaving it to wait there too: the client threads are all busy here (they hold what they are given).
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCallersOwnRequestGoesAheadOfOneDueLaterLeftToAClientThread() {
        List<Runnable> held = new CopyOnWriteArrayList<>();
        String large = largeValue();
        ExecutorService callers = Executors.newFixedThreadPool(1);
        try (HpxFaultProxy proxy = stallingProxy();
                HpxClient client = through(proxy, Duration.ofSeconds(15)).executor(held::add).build()) {
            CompletableFuture<JsonNode> stuck = stuckWrite(client, large, callers);
            CompletableFuture<JsonNode> later = client.executeAsync(HpxRequest.function("echo",
                    Map.of("value", "later")).timeout(Duration.ofSeconds(30)));
            proxy.releaseStalls();
            assertThat(stuck.join().asText()).isEqualTo(large);

            assertThat(client.execute(HpxRequest.function("echo", Map.of("value", "mine"))
                    .timeout(Duration.ofSeconds(2))).asText()).isEqualTo("mine");

            assertThat(later).as("left to a client thread").isNotDone();
            held.forEach(Runnable::run);
            assertThat(later.join().asText()).isEqualTo("later");
        } finally {
            callers.shutdownNow();
        }
    }

    /** Asserts that the first {@code count} calls of {@code queued} were answered with {@code prefix} and an index. */
    private static void assertAnswered(List<CompletableFuture<JsonNode>> queued, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(queued.get(i).join().asText()).isEqualTo(prefix + i);
        }
    }

    /** The data of the messages the server received that hold {@code text}, in the order it received them. */
    private static List<String> sentWith(String text) {
        return HPX.server().receivedMessages().stream().map(m -> String.valueOf(m.data()))
                .filter(data -> data.contains(text)).toList();
    }

    /**
     * Queues more calls behind the stuck write than its writer writes in a turn, echoing {@code prefix} and their
     * index; returns them, in order.
     */
    private static List<CompletableFuture<JsonNode>> queueBehindTheStuckWrite(HpxClient client, String prefix) {
        List<CompletableFuture<JsonNode>> queued = IntStream.range(0, MultiplexedConnection.WRITES_PER_TURN + 2)
                .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", prefix + i))
                        .timeout(Duration.ofSeconds(8))))
                .toList();
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        return queued;
    }

    /**
     * G2: a queued request whose write fails (it holds {@code <EOF>}), written by the thread of a call stuck before it,
     * fails on a client thread once the write lock is let go: what waits on it (the rest of a route) holds up neither
     * the connection's other writers nor the call whose thread wrote it.
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whatWaitsOnAHandedWriteThatFailsRunsWithoutTheWriteLock() throws Exception {
        String large = largeValue();
        ExecutorService callers = Executors.newFixedThreadPool(1);
        CountDownLatch continuing = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        try (HpxFaultProxy proxy = stallingProxy(); HpxClient client = through(proxy, Duration.ofSeconds(15)).build()) {
            CompletableFuture<JsonNode> stuck = stuckWrite(client, large, callers);
            CompletableFuture<Throwable> refused = client.executeAsync(HpxRequest.function("echo",
                    Map.of("value", "a<EOF>b")).timeout(Duration.ofSeconds(8))).handle((reply, failure) -> {
                        continuing.countDown();
                        try {
                            letGo.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return failure;
                    });
            proxy.releaseStalls();
            assertThat(continuing.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(stuck.get(5, TimeUnit.SECONDS).asText()).isEqualTo(large);
                assertThat(client.execute(HpxRequest.function("echo", Map.of("value", "meanwhile"))
                        .timeout(Duration.ofSeconds(2))).asText()).isEqualTo("meanwhile");
            } finally {
                letGo.countDown();
            }
            assertThat(refused.join()).hasMessageContaining("<EOF>");
            assertThat(stuck.join().asText()).isEqualTo(large);
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Runs {@code whileStuck} while a large request's write is stuck (through a proxy that stops passing requests), on a
     * client with {@code executor} (its default when {@code null}), with {@code callerThreads} threads to call
     * from; then lets the write through, checks that the connection serves on, and runs what {@code whileStuck}
     * returned to check once released.
     */
    private static void whileAWriteIsStuck(Executor executor, int callerThreads,
            BiFunction<HpxClient, ExecutorService, Runnable> whileStuck) {
        String large = largeValue();
        ExecutorService callers = Executors.newFixedThreadPool(callerThreads);
        try (HpxFaultProxy proxy = stallingProxy();
                // Room for more requests behind the stuck write than its writer writes in a turn.
                HpxClient client = through(proxy, Duration.ofSeconds(15)).executor(executor)
                        .maxInFlight(2 * MultiplexedConnection.WRITES_PER_TURN).build()) {
            CompletableFuture<JsonNode> stuck = stuckWrite(client, large, callers);
            Runnable onceReleased = whileStuck.apply(client, callers);
            proxy.releaseStalls();
            servesOnOnceReleased(client, stuck, large);
            onceReleased.run();
        } finally {
            callers.shutdownNow();
        }
    }

    /** Logs in, then starts a call of {@code large} on {@code callers}; returns once the proxy stalls its write. */
    private static CompletableFuture<JsonNode> stuckWrite(HpxClient client, String large, ExecutorService callers) {
        client.authenticate();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<JsonNode> stuck = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return client.call("echo", Map.of("value", large));
        }, callers);
        // Its own caller's thread writes it, before any probe: a probe's thread could take it from the queue else.
        await().until(() -> isWriting(caller.get()));
        // Once the large request's write is stuck, a short call times out queued behind it.
        await().until(() -> timesOut(client));
        return stuck;
    }

    /** Whether {@code thread} is writing a request to a G2 socket. */
    private static boolean isWriting(Thread thread) {
        return thread != null && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("writeOut"));
    }

    /** Once the proxy lets the stuck write through: it is answered, no request is left in flight, and calls go on. */
    private static void servesOnOnceReleased(HpxClient client, CompletableFuture<JsonNode> stuck, String large) {
        assertThat(stuck.join().asText()).isEqualTo(large);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.stats().connectionsBusy() == 0);
        assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
    }

    /** Whether a short call times out queued behind another request's write: the large one's, stuck. */
    private static boolean timesOut(HpxClient client) {
        try {
            client.execute(HpxRequest.function("echo", Map.of("value", "probe")).timeout(Duration.ofMillis(300)));
            return false;
        } catch (HpxTimeoutException e) {
            return e.getMessage().contains("waiting to send");
        }
    }

    /**
     * G2: the connection a write got stuck on is closed at that request's deadline, and the other requests in
     * flight on it fail then with the reason, not at their own later deadlines.
     */
    @Test
    @Tag("g2")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theOtherRequestsOnAConnectionTheServerStoppedReadingFailWithIt() {
        Duration requestTimeout = Duration.ofMillis(1500);
        String large = largeValue();
        try (HpxFaultProxy proxy = stallingProxy(); HpxClient client = through(proxy, requestTimeout).build()) {
            client.authenticate();
            int before = HPX.server().receivedMessages().size();
            // Never answered, and no server thread left waiting to answer it once the test has ended.
            HPX.server().faults().nextReply(Fault.noReply());
            CompletableFuture<JsonNode> other = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "other")).timeout(Duration.ofSeconds(10)));
            await().until(() -> HPX.server().receivedMessages().size() == before + 1);
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("echo", Map.of("value", large)))
                    .isInstanceOf(HpxTimeoutException.class)
                    .hasMessageContaining("while writing the request (the server stopped reading)");
            assertThatThrownBy(other::join).hasCauseExactlyInstanceOf(HpxConnectionException.class)
                    .hasMessageContaining("stopped reading requests");
            assertThat(millisSince(start)).isLessThan(requestTimeout.plus(GRACE).toMillis());
        } finally {
            HPX.server().faults().clear();
        }
    }
}
