package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client given two servers, A then B, each an embedded server of the pass's generation: it moves to B when A
 * cannot be reached, re-authenticating there, and comes back to A only with failback.
 */
class FailoverTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Protocol generation = passGeneration();
    private final HpxTestServer a = server(generation);
    private final HpxTestServer b = server(generation);
    private final List<Broadcast> broadcasts = new CopyOnWriteArrayList<>();
    private final List<String> connected = new CopyOnWriteArrayList<>();
    private final List<HpxException> disconnections = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        a.close();
        b.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callsGoToTheNextServerOnceTheCurrentOneStops() {
        try (HpxClient client = bob(null)) {
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(a));
            String sessionOnA = client.sessionId();

            a.stop();

            assertThat(client.call("get_version")).isNotNull();
            assertThat(client.server()).isEqualTo(address(b));
            // A's session is unknown on B: the client logged in there.
            assertThat(client.sessionId()).isNotEqualTo(sessionOnA);
            assertThat(b.sessionIds()).contains(client.sessionId());
        }
    }

    @Test
    void aServerThatAcceptsAndNeverWelcomesLeavesTheCallTimeForTheNext() {
        // A wedged process: connections are accepted, no welcome comes. The connect timeout is longer than a call.
        for (int i = 0; i < 10; i++) {
            a.faults().nextWelcome(Fault.noReply());
        }
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b)))
                .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(4))
                .credentials("bob", "s3cret").build()) {
            assertThat(client.call("get_version")).isNotNull();

            assertThat(client.server()).isEqualTo(address(b));
        }
    }

    @Test
    void aServerThatStopsWelcomingNewConnectionsIsLeftForTheNext() {
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).poolSize(1)
                .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(4))
                .credentials("bob", "s3cret").build()) {
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(a));
            for (int i = 0; i < 10; i++) {
                a.faults().nextWelcome(Fault.noReply());
            }
            // The pooled connection closes at the next request (a NAT's purge, say): that call needs a new one.
            a.faults().nextReply(Fault.close());

            assertThat(client.call("get_version")).isNotNull();
            assertThat(client.server()).isEqualTo(address(b));
        }
    }

    @Test
    void aFirstServerThatIsDownAtTheStartIsPassedOver() {
        a.stop();
        try (HpxClient client = bob(null)) {
            assertThat(client.authenticate()).isNotNull();

            assertThat(client.server()).isEqualTo(address(b));
            assertThat(b.sessionIds()).contains(client.sessionId());
        }
    }

    /** Half of the call is for connects after which another server remains: the last one tried gets all that is left. */
    @Test
    void theLastServerTriedGetsTheWholeRestOfTheCallToWelcome() {
        a.stop();
        // More than half of the call, less than all of it
        b.faults().nextWelcome(Fault.delay(Duration.ofSeconds(3)));
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b)))
                .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(5))
                .credentials("bob", "s3cret").build()) {
            assertThat(client.authenticate()).isIn(b.sessionIds());

            assertThat(client.server()).isEqualTo(address(b));
        }
    }

    @Test
    void aSessionOfOneServerIsRenewedOnTheOtherOnce() {
        String sessionOnA;
        try (HpxClient first = TestClients.to(a).credentials("bob", "s3cret").build()) {
            sessionOnA = first.authenticate();
        }
        a.stop();
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).sessionId(sessionOnA)
                .credentials("bob", "s3cret").build()) {
            assertThat(client.call("get_version")).isNotNull();

            assertThat(client.server()).isEqualTo(address(b));
            assertThat(client.sessionId()).isNotEqualTo(sessionOnA).isIn(b.sessionIds());
            // The id of A's session went to B once, then the login.
            assertThat(b.receivedMessages()).filteredOn(m -> sessionOnA.equals(m.session())).hasSize(1);
        }
    }

    @Test
    void aRunOfCallsOutlivesTheStopOfItsServerWithEveryFailureTypedAndInTime() throws Exception {
        try (HpxClient client = bob(null)) {
            client.authenticate();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<List<String>>> workers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                workers.add(executor.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            client.call("get_version");
                        } catch (HpxException e) {
                            // A call in flight when A died may fail, typed.
                        } catch (RuntimeException e) {
                            problems.add("untyped: " + e);
                        }
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        if (took.compareTo(REQUEST_TIMEOUT.plusSeconds(1)) > 0) {
                            problems.add("a call took " + took);
                        }
                    }
                    return problems;
                }));
            }
            await().until(() -> a.receivedMessages().size() > 20);

            a.stop();
            int onB = b.receivedMessages().size();
            await().until(() -> b.receivedMessages().size() > onB + 20);
            running.set(false);

            for (Future<List<String>> worker : workers) {
                assertThat(worker.get(10, TimeUnit.SECONDS)).isEmpty();
            }
            assertThat(client.server()).isEqualTo(address(b));
            assertThat(client.call("get_version")).isNotNull();
        }
    }

    @Test
    void withNoServerLeftACallFailsTypedWithinItsDeadline() {
        try (HpxClient client = bob(null)) {
            client.authenticate();
            a.stop();
            b.stop();
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("get_version"))
                    .isInstanceOf(HpxConnectionException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REQUEST_TIMEOUT.plusSeconds(1));
        }
    }

    @Test
    void withoutFailbackTheClientStaysOnTheServerItMovedTo() {
        try (HpxClient client = bob(null)) {
            client.authenticate();
            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));

            a.clearReceivedMessages();
            a.start();

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> client.call("get_version") != null && address(b).equals(client.server()));
            assertThat(a.receivedMessages()).isEmpty();
        }
    }

    @Test
    void withFailbackCallsAndTheWatchGoBackToTheFirstServerOnceItAnswers() {
        try (HpxClient client = bob(Duration.ofMillis(100));
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofMillis(200), states())) {
            await().until(() -> connected.size() == 1);
            a.stop();
            await().until(() -> address(b).equals(client.server()) && connected.size() == 2);

            a.start();

            await().until(() -> address(a).equals(client.server()));
            await().until(() -> connected.size() == 3);
            assertThat(client.call("get_version")).isNotNull();
            assertThat(a.sessionIds()).contains(client.sessionId());
            // The connections to B close once their calls have ended; the watch's among them.
            await().until(() -> b.openConnections() == 0);
            a.broadcast(1);
            await().until(() -> broadcasts.size() == 1);
        }
    }

    @Test
    void withFailbackTheClientComesBackToAFirstServerThatWasDownAtTheStart() {
        try (HpxClient client = bob(Duration.ofMillis(100))) {
            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));

            a.start();

            await().until(() -> address(a).equals(client.server()));
            assertThat(client.call("get_version")).isNotNull();
            assertThat(a.sessionIds()).contains(client.sessionId());
        }
    }

    /** A failback probe leaves no call waiting, and has the whole connect timeout, not half of it. */
    @Test
    void aFailbackProbeGetsTheWholeConnectTimeout() {
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).failback(Duration.ofMillis(200))
                .connectTimeout(Duration.ofSeconds(3)).requestTimeout(REQUEST_TIMEOUT).credentials("bob", "s3cret")
                .build()) {
            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));
            // More than half of the connect timeout, for every connection it takes
            for (int i = 0; i < 50; i++) {
                a.faults().nextWelcome(Fault.delay(Duration.ofMillis(2000)));
            }

            a.start();

            await().atMost(Duration.ofSeconds(12)).until(() -> address(a).equals(client.server()));
        }
    }

    /**
     * G1: a call that took the current server's transport, and had not borrowed a connection from it when the client
     * moved away and later moved on again (closing that transport, drained), runs on the server the client is on:
     * it is not failed as if the client were closed.
     */
    @Test
    @Tag("g1")
    void aCallThatTookATransportTheClientClosedSinceRunsOnTheCurrentServer() {
        HoldingExecutor holding = new HoldingExecutor();
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).requestTimeout(REQUEST_TIMEOUT)
                .credentials("bob", "s3cret").executor(holding).build()) {
            client.call("get_version");
            holding.holdNext();
            // G1 runs an asynchronous call on the executor: it has its transport, A's, and waits there.
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("get_version", Map.of()));
            assertThat(holding.isHolding()).isTrue();

            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));
            a.start();
            b.stop();
            // The move back to A makes a new transport for it, and closes the old one, which no call is using.
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(a));
            int before = a.receivedMessages().size();

            holding.release();

            assertThat(held).succeedsWithin(REQUEST_TIMEOUT.plusSeconds(1));
            assertThat(a.receivedMessages()).hasSize(before + 1);
        }
    }

    /**
     * G1: a call waits for A's only connection while another holds it; A goes down, and the other's retry moves the
     * client to B. The waiting call, which sent nothing, runs on B at once: no connection will come back to A's pool.
     * It waited for its whole deadline before, and failed "waiting for a free connection".
     */
    @Test
    @Tag("g1")
    void aCallWaitingForAConnectionOfAServerThatWentDownRunsOnTheNext() throws Exception {
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).poolSize(1)
                .requestTimeout(Duration.ofSeconds(20)).credentials("bob", "s3cret").build()) {
            client.call("get_version");
            int before = a.receivedMessages().size();
            a.faults().nextReply(Fault.delay(Duration.ofSeconds(10)));
            Future<JsonNode> holder = executor.submit(() -> client.call("get_version"));
            await().until(() -> a.receivedMessages().size() == before + 1);
            CompletableFuture<JsonNode> waited = new CompletableFuture<>();
            Thread waiter = callOnItsOwnThread(client, waited);
            await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING && inPool(waiter));

            a.stop();

            assertThat(holder.get(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(waited).succeedsWithin(Duration.ofSeconds(5));
            assertThat(client.server()).isEqualTo(address(b));
        }
    }

    /**
     * G1: on B, one call opens B's only connection (its welcome slow to come), another waits for it; failback moves
     * the client to A meanwhile. Both took B's transport, and both run: the first on the connection it opened, the
     * second on it after the first. The waiting one timed out before, when the move closed B's pool under the
     * connect.
     */
    @Test
    @Tag("g1")
    void callsOpeningAndWaitingForAConnectionWhenTheClientMovesAwayBothRun() {
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).poolSize(1)
                .failback(Duration.ofMillis(100)).requestTimeout(Duration.ofSeconds(20)).credentials("bob", "s3cret")
                .build()) {
            a.stop();
            client.call("get_version");
            // B's idle connection gone, the next call opens another, whose welcome comes late.
            b.resetConnections();
            b.faults().nextWelcome(Fault.delay(Duration.ofSeconds(2)));
            List<CompletableFuture<JsonNode>> calls = List.of(new CompletableFuture<>(), new CompletableFuture<>());
            List<Thread> callers = calls.stream().map(call -> callOnItsOwnThread(client, call)).toList();
            await().until(() -> callers.stream().allMatch(FailoverTest::inPool));

            a.start();
            await().until(() -> address(a).equals(client.server()));

            assertThat(calls).allSatisfy(call -> assertThat(call).succeedsWithin(Duration.ofSeconds(10)));
        }
    }

    /** A thread that makes a blocking call of {@code client} and puts its outcome into {@code outcome}. */
    private static Thread callOnItsOwnThread(HpxClient client, CompletableFuture<JsonNode> outcome) {
        Thread caller = new Thread(() -> {
            try {
                outcome.complete(client.call("get_version"));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }, "caller");
        caller.start();
        return caller;
    }

    /** Whether {@code caller} is in the G1 pool: opening a connection, or waiting for one. */
    private static boolean inPool(Thread caller) {
        return List.of(caller.getStackTrace()).toString().contains("borrowObject");
    }

    /**
     * G1: back on A, the client still waits for a call's reply from B, and B restarts. B's broadcast is no reason to
     * drop the connections to A: that made A forget the client's session (0.3.0 ends a session with its last
     * connection), and the next call log in again.
     */
    @Test
    @Tag("g1")
    void aBroadcastOfTheServerMovedFromLeavesTheConnectionsToTheCurrentOne() {
        try (HpxClient client = bob(Duration.ofMillis(100))) {
            a.stop();
            client.call("get_version");
            int onB = b.receivedMessages().size();
            b.faults().nextReply(Fault.delay(Duration.ofSeconds(10)));
            // Longer than anything below takes: the call must still wait on B when B restarts.
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("get_version", Map.of())
                    .timeout(Duration.ofSeconds(30)));
            await().until(() -> b.receivedMessages().size() == onB + 1);
            a.start();
            await().until(() -> address(a).equals(client.server()));
            client.call("get_version");
            String session = client.sessionId();
            int before = a.receivedMessages().size();

            b.restart();
            await().until(() -> broadcasts.stream().anyMatch(heard -> heard.command() == ServerCommand.SERVER_RESTART
                    && heard.server().equals(address(b))));
            await().until(held::isDone);

            assertThat(client.call("get_version")).isNotNull();
            // The held call too may have gone again, on A.
            assertThat(a.receivedMessages().subList(before, a.receivedMessages().size())).as("no new login")
                    .isNotEmpty().extracting(ReceivedMessage::session).containsOnly(session);
        }
    }

    /**
     * G2: two calls that met the first server down both move to the second; one holds its only slot there (a server
     * gate), the other waits for it. Failback then moves the client back, retiring the second server's pool: the call
     * waiting there, which sent nothing, runs on the first server. It failed as "no longer uses" the second before.
     */
    @Test
    @Tag("g2")
    void aCallWaitingOnTheServerItMovedToRunsOnTheNextWhenTheClientMovesAgain() {
        G2Gate gate = new G2Gate();
        try (HpxTestServer first = gated(gate); HpxTestServer second = gated(gate);
             HpxClient client = TestClients.to(first).servers(List.of(address(first), address(second)))
                     .failback(Duration.ofMillis(100)).poolSize(1).maxInFlight(1).requestTimeout(REQUEST_TIMEOUT)
                     .credentials("bob", "s3cret").build()) {
            client.call("get_version");
            first.stop();

            List<CompletableFuture<JsonNode>> held = List.of(
                    client.executeAsync(HpxRequest.function("hold", Map.of("value", "one"))),
                    client.executeAsync(HpxRequest.function("hold", Map.of("value", "two"))));
            // One in the second server's gate, the other waiting for the slot it holds
            await().until(() -> holdCalls(second) == 1);
            first.start();
            await().until(() -> address(first).equals(client.server()));
            gate.open();

            assertThat(held.get(0)).succeedsWithin(REQUEST_TIMEOUT);
            assertThat(held.get(1)).succeedsWithin(REQUEST_TIMEOUT);
            assertThat(holdCalls(first)).isEqualTo(1);
        }
    }

    private static long holdCalls(HpxTestServer server) {
        return server.receivedMessages().stream().filter(m -> m.data().findValuesAsText("fname").contains("hold")).count();
    }

    private static HpxTestServer gated(G2Gate gate) {
        return HpxTestServer.builder().protocol(Protocol.G2).user("bob", "s3cret").guestsAllowed(false)
                .function(gate.function()).build().start();
    }

    /**
     * G1: a call that took the second server's transport before failback moved the client back to the first runs on
     * the second, in the session it has there; the client's session on the first is neither sent to the second nor
     * replaced by one of the second's. Before, the client had one session for both: the call sent the first server's
     * id to the second, forgot it as lost and logged in there, and the client's next call on the first logged in again.
     */
    @Test
    @Tag("g1")
    void aCallLeftOnTheServerMovedFromKeepsItsSessionThereAndTheClientItsOwn() {
        HoldingExecutor holding = new HoldingExecutor();
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).failback(Duration.ofMillis(100))
                .requestTimeout(REQUEST_TIMEOUT).credentials("bob", "s3cret").executor(holding).build()) {
            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));
            holding.holdNext();
            // G1 runs an asynchronous call on the executor: it has B's transport, and waits there.
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("get_version", Map.of()));
            assertThat(holding.isHolding()).isTrue();
            a.start();
            await().until(() -> address(a).equals(client.server()));
            client.call("get_version");
            String sessionOnA = client.sessionId();
            assertThat(sessionOnA).isIn(a.sessionIds());

            holding.release();

            assertThat(held).succeedsWithin(REQUEST_TIMEOUT);
            // (B ended the session it had made once the connection that carried it closed with the move: the call
            // renews it there.)
            assertThat(b.receivedMessages()).extracting(ReceivedMessage::session).doesNotContain(sessionOnA);
            assertThat(client.sessionId()).isEqualTo(sessionOnA);
            client.call("get_version");
            assertThat(a.receivedMessages()).filteredOn(m -> m.session().isEmpty()).hasSize(1);
        }
    }

    /** Runs tasks on the class's executor, except the one it is told to hold, which runs once released. */
    private final class HoldingExecutor implements Executor {

        private final AtomicBoolean holdNext = new AtomicBoolean();
        private final CompletableFuture<Runnable> held = new CompletableFuture<>();

        @Override
        public void execute(Runnable task) {
            if (holdNext.compareAndSet(true, false)) {
                held.complete(task);
            } else {
                executor.execute(task);
            }
        }

        void holdNext() {
            holdNext.set(true);
        }

        boolean isHolding() {
            return held.isDone();
        }

        void release() {
            executor.execute(held.join());
        }
    }

    /** A call still running on the server moved from ends there, and leaves no connection to it behind. */
    @Test
    void aCallInFlightWhenTheClientMovesBackLeavesNoConnectionToTheServerMovedFrom() throws Exception {
        try (HpxClient client = bob(Duration.ofMillis(100))) {
            client.call("get_version");
            a.stop();
            client.call("get_version");
            assertThat(client.server()).isEqualTo(address(b));
            // Long enough to outlast the failback probe on a loaded machine.
            b.faults().nextReply(Fault.delay(Duration.ofSeconds(6)));
            CompletableFuture<JsonNode> slow = client.executeAsync(HpxRequest.function("get_version", Map.of())
                    .timeout(Duration.ofSeconds(15)));
            await().until(() -> client.stats().connectionsBusy() == 1);

            a.start();
            await().until(() -> address(a).equals(client.server()));
            assertThat(slow).as("still running on B when the client moved").isNotDone();

            assertThat(slow.get(15, TimeUnit.SECONDS)).isNotNull();
            await().atMost(Duration.ofSeconds(3)).until(() -> b.openConnections() == 0);
        }
    }

    @Test
    void aBroadcastWatchResumesOnTheNextServerAndHearsItsBroadcasts() {
        try (HpxClient client = bob(null);
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofMillis(200), states())) {
            await().until(() -> connected.size() == 1);
            assertThat(a.openConnections()).isPositive();

            a.stop();

            await().until(() -> connected.size() == 2);
            assertThat(client.server()).isEqualTo(address(b));
            assertThat(connected.get(1)).isEqualTo(client.sessionId()).isIn(b.sessionIds());
            b.broadcast(1);
            await().until(() -> broadcasts.size() == 1);
            assertThat(broadcasts.get(0).command()).isEqualTo(ServerCommand.SERVER_QUIT);
            assertThat(broadcasts.get(0).server()).isEqualTo(address(b));
            assertThat(disconnections).allSatisfy(e -> assertThat(e).isInstanceOf(HpxConnectionException.class));
        }
    }

    @Test
    @Tag("g1") // a G2 listener runs on a reader, not on the watch's thread
    void aWatchWhoseOwnListenerMovedTheClientListensOnTheNextServer() {
        try (HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).poolSize(1)
                .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(4))
                .credentials("bob", "s3cret").build();
             BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofMillis(200), states())) {
            await().until(() -> connected.size() == 1);
            // G1: a broadcast on the watch's connection reaches the listeners on the watch's thread. This one's
            // call finds A welcoming no new connection and moves the client to B.
            CompletableFuture<ServerAddress> calledOn = new CompletableFuture<>();
            client.onBroadcast(broadcasts::add);
            client.onBroadcast(broadcast -> {
                if (broadcast.server().equals(address(a)) && !calledOn.isDone()) {
                    client.call("get_version");
                    calledOn.complete(client.server());
                }
            });
            for (int i = 0; i < 10; i++) {
                a.faults().nextWelcome(Fault.noReply());
            }

            a.broadcast(1);

            assertThat(calledOn).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(address(b));
            // A still runs and keeps the connection listened on: the watch leaves it for B all the same.
            await().until(() -> connected.size() == 2);
            assertThat(connected.get(1)).isIn(b.sessionIds());
            b.broadcast(1);
            await().until(() -> broadcasts.stream().anyMatch(heard -> heard.server().equals(address(b))));
        }
    }

    @Test
    void eachServerSpeaksItsOwnGeneration() {
        Protocol other = generation == Protocol.G1 ? Protocol.G2 : Protocol.G1;
        try (HpxTestServer c = server(other);
             HpxClient client = TestClients.to(a).servers(List.of(address(a), address(c))).credentials("bob", "s3cret")
                     .build()) {
            assertThat(client.call("get_version")).isNotNull();
            assertThat(client.protocol().name()).isEqualTo(generation.name());

            a.stop();

            assertThat(client.call("get_version")).isNotNull();
            assertThat(client.server()).isEqualTo(address(c));
            assertThat(client.protocol().name()).isEqualTo(other.name());
        }
    }

    /**
     * A command awaited while the client moves to another server cannot be followed there: B does not know it, and
     * its id may name one of B's own commands. The wait fails as lost, and nothing is stopped on B.
     */
    @Test
    void aCommandAwaitedAcrossAMoveToAnotherServerIsLostAndNotStoppedThere() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (HpxClient client = bob(null)) {
            JsonNode id = AsyncCommand.commandIdOf(client.call(generation == Protocol.G1 ? "check_update" : "reindex"))
                    .orElseThrow();
            AsyncCommand command = AsyncCommand.follow(client, id).pollInterval(Duration.ofMillis(50))
                    .timeout(Duration.ofSeconds(10)).start(scheduler);
            await().until(() -> command.lastState().isPresent());

            a.stop();

            assertThatThrownBy(() -> command.result().join()).cause().isInstanceOf(HpxCommandLostException.class);
            assertThat(client.server()).isEqualTo(address(b));
            assertThat(b.receivedMessages()).noneMatch(m -> String.valueOf(m.data()).contains("stop_command"));
        } finally {
            scheduler.shutdownNow();
        }
    }

    private HpxClient bob(Duration failback) {
        HpxClient client = TestClients.to(a).servers(List.of(address(a), address(b))).failback(failback)
                .requestTimeout(REQUEST_TIMEOUT).credentials("bob", "s3cret").build();
        client.onBroadcast(broadcasts::add);
        return client;
    }

    private BroadcastWatch.StateListener states() {
        return new BroadcastWatch.StateListener() {
            @Override
            public void onConnected(String sessionId) {
                connected.add(sessionId);
            }

            @Override
            public void onDisconnected(HpxException cause, Duration retryIn) {
                disconnections.add(cause);
            }
        };
    }

    private static HpxTestServer server(Protocol protocol) {
        // Commands outlast every test: one awaited across a move must still run on the server it was started on.
        return HpxTestServer.builder().protocol(protocol).user("bob", "s3cret").guestsAllowed(false)
                .commandDuration(Duration.ofMinutes(5)).build().start();
    }

    private static ServerAddress address(HpxTestServer server) {
        return new ServerAddress(server.host(), server.port());
    }

    /** The generation of the suite's pass: G2 in the pass run with {@code hpx.testkit.protocol=g2}. */
    private static Protocol passGeneration() {
        String pass = System.getProperty(HpxTestServerExtension.PROTOCOL_PROPERTY, "");
        return pass.isBlank() ? Protocol.G1 : Protocol.valueOf(pass.trim().toUpperCase(Locale.ROOT));
    }
}
