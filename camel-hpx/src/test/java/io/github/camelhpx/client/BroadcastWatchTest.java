package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jdk.net.ExtendedSocketOptions;

import io.github.camelhpx.client.internal.ServerConnection;
import io.github.camelhpx.testkit.HpxTestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection that only listens: broadcasts arrive without any call, and the watch outlives the server. */
class BroadcastWatchTest {

    private final List<Broadcast> broadcasts = new CopyOnWriteArrayList<>();
    private final List<String> connectedSessions = new CopyOnWriteArrayList<>();
    private final List<Duration> retries = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final BroadcastWatch.StateListener states = new BroadcastWatch.StateListener() {
        @Override
        public void onConnected(String sessionId) {
            connectedSessions.add(sessionId);
        }

        @Override
        public void onDisconnected(HpxException cause, Duration retryIn) {
            retries.add(retryIn);
        }
    };
    private HpxTestServer server = bobsServer(0);

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** A server where only bob may log in, on {@code port} (0: any). */
    private static HpxTestServer bobsServer(int port) {
        return HpxTestServer.builder().port(port).user("bob", "s3cret").guestsAllowed(false).build().start();
    }

    private HpxClient bob() {
        HpxClient client = TestClients.to(server).credentials("bob", "s3cret").build();
        client.onBroadcast(broadcasts::add);
        return client;
    }

    @Test
    void broadcastReachesAnIdleClient() {
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states)) {
            await().until(() -> connectedSessions.size() == 1);

            server.broadcast(1);

            await().until(() -> broadcasts.size() == 1);
            assertThat(broadcasts.get(0).command()).isEqualTo(ServerCommand.SERVER_QUIT);
            assertThat(broadcasts.get(0).sessionId()).isEqualTo(client.sessionId());
        }
    }

    /**
     * A listener that closes the watch (a consumer whose route stops on a broadcast) runs on the thread the watch's
     * end must pass through: its close returns at once instead of waiting for that end, and the watch then ends.
     */
    @Test
    void aListenerThatClosesTheWatchReturnsAtOnceAndTheWatchEnds() {
        AtomicReference<BroadcastWatch> watch = new AtomicReference<>();
        List<Duration> closing = new CopyOnWriteArrayList<>();
        try (HpxClient client = bob()) {
            client.onBroadcast(b -> {
                long start = System.nanoTime();
                watch.get().close();
                closing.add(Duration.ofNanos(System.nanoTime() - start));
            });
            watch.set(client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states));
            await().until(() -> connectedSessions.size() == 1);

            server.broadcast(1);

            await().until(() -> closing.size() == 1);
            // The watch waited up to 5 s for its own thread before it gave up
            assertThat(closing.get(0)).isLessThan(Duration.ofSeconds(2));
            // Its task has ended: the executor's one thread takes the next
            assertThat(CompletableFuture.runAsync(() -> { }, executor)).succeedsWithin(Duration.ofSeconds(3));
            assertThat(connectedSessions).hasSize(1);
        }
    }

    @Test
    void restartsAreEachHeardAndTheWatchReconnectsWithANewSession() {
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states)) {
            await().until(() -> connectedSessions.size() == 1);

            server.restart();
            await().until(() -> connectedSessions.size() == 2);
            server.restart();
            await().until(() -> connectedSessions.size() == 3);

            assertThat(broadcasts).extracting(Broadcast::command)
                    .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_RESTART);
            assertThat(connectedSessions).doesNotHaveDuplicates();
            assertThat(server.sessionIds()).containsExactly(connectedSessions.get(2));
        }
    }

    @Test
    void aStateListenerThatThrowsLeavesTheWatchListeningAndReconnecting() {
        BroadcastWatch.StateListener failing = new BroadcastWatch.StateListener() {
            @Override
            public void onConnected(String sessionId) {
                connectedSessions.add(sessionId);
                throw new IllegalStateException("state listener bug");
            }

            @Override
            public void onDisconnected(HpxException cause, Duration retryIn) {
                retries.add(retryIn);
                throw new IllegalStateException("state listener bug");
            }
        };
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), failing)) {
            await().until(() -> connectedSessions.size() == 1);

            server.restart();
            await().until(() -> connectedSessions.size() == 2);
            server.broadcast(1);

            await().until(() -> broadcasts.size() == 2);
            assertThat(broadcasts).extracting(Broadcast::command)
                    .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_QUIT);
            assertThat(retries).hasSize(1);
        }
    }

    @Test
    void theListeningConnectionProbesASilentPeerAfterAMinuteNotTheSystemsTwoHours() throws Exception {
        AtomicReference<Socket> socket = new AtomicReference<>();
        try (HpxClient client = bob(); ServerConnection listening = client.openSessionConnection(socket::set)) {
            // Read back from the kernel: a listening connection never writes, so only these find a peer gone silent.
            Socket opened = socket.get();
            assertThat(opened.getKeepAlive()).isTrue();
            if (opened.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                assertThat(opened.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(60);
                assertThat(opened.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                        * opened.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(60);
            }
        }
    }

    @Test
    void serverDownForAWhileMeansGrowingBackOffThenRecovery() {
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofMillis(200), states)) {
            await().until(() -> connectedSessions.size() == 1);
            int port = server.port();

            server.quit();
            await().until(() -> retries.size() >= 5);
            server = bobsServer(port);

            await().atMost(Duration.ofSeconds(5)).until(() -> connectedSessions.size() == 2);
            assertThat(retries.subList(0, 4)).containsExactly(
                    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(200));
            assertThat(broadcasts).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_QUIT);
        }
    }

    /**
     * A server that drops each connection as soon as it has answered the watch's check: every attempt connects, and
     * none counts as a recovery, so the waits grow as for a server that cannot be reached. They stayed at the first
     * delay.
     */
    @Test
    void connectionsDroppedAsSoonAsMadeDoNotResetTheBackOff() {
        try (ScriptedServer dropping = ScriptedServer.start((connection, call, request) -> ScriptedServer.Action.reply(
                List.of(Map.of("fname", "get_version", "data", List.of(0, 3, 0)))).thenClose());
             HpxClient client = HpxClient.builder().host(dropping.host()).port(dropping.port()).build();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(100), Duration.ofMillis(800),
                     states)) {
            await().until(() -> retries.size() >= 5);

            assertThat(connectedSessions).hasSizeGreaterThanOrEqualTo(5);
            assertThat(retries.subList(0, 5)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(800));
        }
    }

    /**
     * A connection that stayed up longer than the initial delay is a recovery, also when the wait before it had grown
     * longer (a proxy that cuts idle connections after a while must not keep the watch at the longest wait): the next
     * outage starts over.
     */
    @Test
    void aConnectionThatStayedUpStartsTheBackOffAgain() {
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofMillis(800), states)) {
            await().until(() -> connectedSessions.size() == 1);
            int port = server.port();
            server.quit();
            await().until(() -> retries.contains(Duration.ofMillis(800)));
            server = bobsServer(port);
            await().until(() -> connectedSessions.size() == 2);
            int before = retries.size();
            // Up for longer than the initial delay, not as long as the 800 ms waited before it
            await().pollDelay(Duration.ofMillis(300)).until(() -> connectedSessions.size() == 2);

            server.restart();

            await().until(() -> retries.size() > before);
            assertThat(retries.get(before)).isEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void closingDuringBackOffStopsAtOnceAndLeavesNoThreadOrSocket() throws Exception {
        HpxClient client = bob();
        BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMinutes(10), Duration.ofMinutes(10), states);
        await().until(() -> connectedSessions.size() == 1);
        server.restart();
        await().until(() -> retries.size() == 1);

        long start = System.nanoTime();
        watch.close();
        client.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        executor.shutdown();
        assertThat(executor.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        await().until(() -> server.openConnections() == 0);
    }

    /** Records as {@link #states} does, and the watch's thread and its end. */
    private final class EndWatcher implements BroadcastWatch.StateListener {

        private final AtomicReference<Thread> thread = new AtomicReference<>();
        private final CompletableFuture<HpxException> ended = new CompletableFuture<>();

        @Override
        public void onConnected(String sessionId) {
            thread.set(Thread.currentThread());
            states.onConnected(sessionId);
        }

        @Override
        public void onDisconnected(HpxException cause, Duration retryIn) {
            thread.set(Thread.currentThread());
            states.onDisconnected(cause, retryIn);
        }

        @Override
        public void onEnded(HpxException cause) {
            ended.complete(cause);
        }
    }

    @Test
    void aWatchWhoseThreadIsInterruptedSaysThatItEnded() throws Exception {
        EndWatcher told = new EndWatcher();
        server.quit();
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMinutes(10), Duration.ofMinutes(10), told)) {
            await().until(() -> told.thread.get() != null);

            // e.g. a pool shut down with shutdownNow while the watch is still open
            told.thread.get().interrupt();

            assertThat(told.ended.get(5, TimeUnit.SECONDS)).isInstanceOf(HpxConnectionException.class)
                    .hasMessageContaining("interrupted").hasMessageContaining("no broadcast arrives");
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aListeningWatchWhoseThreadIsInterruptedEndsWithoutAnnouncingARetry() throws Exception {
        EndWatcher told = new EndWatcher();
        try (HpxClient client = bob();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), told)) {
            await().until(() -> told.thread.get() != null);

            told.thread.get().interrupt();
            // G1's blocking read does not see the interrupt: the listen ends with the connection.
            server.restart();

            assertThat(told.ended.get(5, TimeUnit.SECONDS)).hasMessageContaining("interrupted");
            assertThat(retries).isEmpty();
        }
    }

    @Test
    void closingAbortsAConnectAttemptThatHangs() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HpxClient client = HpxClient.builder().host("127.0.0.1").port(silent.getLocalPort())
                     .connectTimeout(Duration.ofMinutes(5)).build()) {
            BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states);
            // Bounded: a watch that never connects fails the test, rather than hang the build.
            silent.setSoTimeout(10_000);
            // The server accepts but never sends its welcome: the watch waits inside its first attempt.
            try (Socket accepted = silent.accept()) {
                long start = System.nanoTime();
                watch.close();

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                executor.shutdown();
                assertThat(executor.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
                assertThat(connectedSessions).isEmpty();
            }
        }
    }

    @Test
    void closingTheClientStopsItsWatches() throws Exception {
        HpxClient client = bob();
        client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states);
        await().until(() -> connectedSessions.size() == 1);

        client.close();

        executor.shutdown();
        assertThat(executor.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
        await().until(() -> server.openConnections() == 0);
    }

    /**
     * A watch the client refused to start while it closed is closed by the client's close all the same: that close
     * returns at once, where it waited 5 s for a thread that never ran.
     */
    @Test
    void closingAWatchThatNeverStartedReturnsAtOnce() {
        try (HpxClient client = bob()) {
            BroadcastWatch never = new BroadcastWatch(client, Duration.ofMillis(50), Duration.ofSeconds(1), states,
                    watch -> { });

            long start = System.nanoTime();
            never.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    /** Started on a closed client, a watch would fail to connect and try again for ever. */
    @Test
    void aClosedClientStartsNoWatch() {
        HpxClient client = bob();
        client.close();

        assertThatThrownBy(() -> client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1), states))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        // Its one thread was never taken
        assertThat(CompletableFuture.runAsync(() -> { }, executor)).succeedsWithin(Duration.ofSeconds(3));
        assertThat(retries).isEmpty();
    }
}
