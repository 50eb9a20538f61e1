package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code close()} ends what is in progress at once: a connect waiting for its welcome, a watch in its listener. */
class CloseTest {

    private static final Duration LONG = Duration.ofSeconds(10);
    /** Well short of {@link #LONG}: what ends "at once" does not wait for a timeout, on a loaded machine too. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() throws InterruptedException {
        callers.shutdownNow();
        assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A server that accepts and never says a word, counting what it accepted. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        held.add(socket.accept());
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-accept");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<?> call) {
        try {
            call.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the call did not end within " + PROMPT + " of close(): " + e, e);
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void closeWhileTheFirstConnectionWaitsForItsWelcomeReturnsAtOnceAndFailsTheCall() throws Exception {
        try (SilentServer server = new SilentServer()) {
            HpxClient client = HpxClient.builder().host("127.0.0.1").port(server.socket.getLocalPort())
                    .connectTimeout(LONG).requestTimeout(LONG).build();
            CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> client.call("get_version"), callers);
            await().until(() -> server.accepted.get() == 1);

            long start = System.nanoTime();
            client.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);

            assertThat(failureOf(call)).isInstanceOf(HpxConnectionException.class)
                    .isNotInstanceOf(HpxTimeoutException.class);
        }
    }

    @Test
    @Tag("g1")
    void closeWhileACallWaitsForTheBusyPooledConnectionSaysTheClientClosed() throws Exception {
        try (ScriptedServer server = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.silence())) {
            HpxClient client = HpxClient.builder().host(server.host()).port(server.port()).poolSize(1)
                    .connectTimeout(LONG).requestTimeout(LONG).build();
            client.authenticate();
            CompletableFuture<JsonNode> holder = CompletableFuture.supplyAsync(() -> client.call("get_version"), callers);
            await().until(() -> server.callsReceived() == 1);
            CompletableFuture<JsonNode> waiter = CompletableFuture.supplyAsync(() -> client.call("get_version"), callers);
            await().until(() -> client.stats().callsInFlight() == 2);

            client.close();

            assertThat(failureOf(waiter)).isInstanceOf(HpxConnectionException.class).hasMessage("HPX client is closed");
            // Not blamed on the server, and not sent again as if the server had dropped the connection.
            assertThat(failureOf(holder)).isNotInstanceOf(HpxServerDisconnectedException.class)
                    .hasMessageContaining("closed by the client");
        }
    }

    @Test
    @Tag("g1")
    void closeWhileAPooledConnectionWaitsForItsWelcomeFailsThatCallAtOnce() throws Exception {
        // Connection 1 carries a call the server never answers; connection 2, for the next call, gets no welcome.
        try (ScriptedServer server = ScriptedServer.startWithSilentConnections(Set.of(2),
                (connection, call, request) -> ScriptedServer.Action.silence())) {
            HpxClient client = HpxClient.builder().host(server.host()).port(server.port()).poolSize(2)
                    .connectTimeout(LONG).requestTimeout(LONG).build();
            client.authenticate();
            CompletableFuture<JsonNode> holder = CompletableFuture.supplyAsync(() -> client.call("get_version"), callers);
            await().until(() -> server.callsReceived() == 1);
            CompletableFuture<JsonNode> opener = CompletableFuture.supplyAsync(() -> client.call("get_version"), callers);
            await().until(() -> server.connectionsAccepted() == 2);

            long start = System.nanoTime();
            client.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);

            assertThat(failureOf(opener)).isInstanceOf(HpxConnectionException.class)
                    .isNotInstanceOf(HpxTimeoutException.class);
            assertThat(failureOf(holder)).isInstanceOf(HpxConnectionException.class)
                    .isNotInstanceOf(HpxTimeoutException.class);
        }
    }

    @Test
    void watchWhoseDisconnectListenerBlocksStillClosesAtOnce() throws Exception {
        int unreachable;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachable = gone.getLocalPort();
        }
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger disconnects = new AtomicInteger();
        BroadcastWatch.StateListener states = new BroadcastWatch.StateListener() {
            @Override
            public void onConnected(String sessionId) {
            }

            @Override
            public void onDisconnected(HpxException cause, Duration retryIn) {
                // e.g. a route's error handler that takes its time
                disconnects.incrementAndGet();
                inListener.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExecutorService watchThread = Executors.newSingleThreadExecutor();
        try (HpxClient client = HpxClient.builder().host("127.0.0.1").port(unreachable)
                .connectTimeout(LONG).requestTimeout(LONG).build()) {
            BroadcastWatch watch = client.watchBroadcasts(watchThread, Duration.ofMillis(20), Duration.ofMillis(40), states);
            assertThat(inListener.await(5, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            watch.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPT);
        } finally {
            release.countDown();
            watchThread.shutdown();
            // Once the listener returns, the closed watch ends without another attempt.
            assertThat(watchThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(disconnects.get()).isEqualTo(1);
        }
    }

    /**
     * Closing the client fails what is in flight; it must not send those requests again on another connection of
     * the closing client (the server would run them twice), nor let them succeed after close().
     */
    @Test
    @Tag("g2")
    void closeDoesNotSendRequestsInFlightAgainOnAnotherConnection() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().protocol(io.github.camelhpx.testkit.Protocol.G2)
                .function(FunctionSpec.echo()).build().start()) {
            HpxClient client = TestClients.to(server).poolSize(2).build();
            client.authenticate();
            server.faults().nextReply(Fault.delay(Duration.ofSeconds(2)));
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("echo", Map.of("value", "held")));
            // The first connection is busy: this one opens the second, and is answered at once.
            assertThat(client.call("echo", Map.of("value", "other")).asText()).isEqualTo("other");
            assertThat(client.openConnections()).isEqualTo(2);
            int sent = server.receivedMessages().size();

            client.close();

            assertThat(failureOf(held)).isInstanceOf(HpxConnectionException.class);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                    .until(() -> server.receivedMessages().stream().skip(sent)
                            .noneMatch(m -> String.valueOf(m.data()).contains("held")));
        }
    }
    /**
     * G2: closing the client fails the calls in flight at once, also when the connection's reader is busy with a
     * caller's continuation (a Camel route goes on there): the client's timer stops with the close, so nothing else
     * would end them.
     */
    @Test
    @Tag("g2")
    void closeFailsTheCallsInFlightWhileTheReaderRunsACallersContinuation() throws Exception {
        CountDownLatch readerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HpxTestServer server = HpxTestServer.builder().protocol(io.github.camelhpx.testkit.Protocol.G2)
                .function(FunctionSpec.echo()).build().start()) {
            HpxClient client = TestClients.to(server).poolSize(1).requestTimeout(LONG).build();
            client.authenticate();
            server.faults().nextReply(Fault.delay(Duration.ofMillis(300)));
            client.executeAsync(HpxRequest.function("echo", Map.of("value", "holds the reader"))).thenAccept(r -> {
                readerHeld.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(readerHeld.await(5, TimeUnit.SECONDS)).isTrue();
            server.faults().nextReply(Fault.noReply());
            CompletableFuture<JsonNode> unanswered = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "unanswered")));

            client.close();

            assertThatCode(() -> unanswered.handle((r, e) -> e).get(PROMPT.toMillis(), TimeUnit.MILLISECONDS))
                    .doesNotThrowAnyException();
            assertThat(failureOf(unanswered)).isInstanceOf(HpxConnectionException.class);
        } finally {
            release.countDown();
        }
    }
}
