package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxApiError;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** G2 sessions: logout ({@code dropauth}), {@code requestauth}, and transparent renewal when the server lost one. */
@Tag("g2")
class G2SessionTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G2)
            .guestsAllowed(false)
            .user("bob", "s3cret")
            .function(FunctionSpec.echo())
            .function(FunctionSpec.of("logged_out").handler(call -> {
                throw new HpxApiError(407, "Authentication is required");
            })));

    private HpxClient.Builder bob() {
        return TestClients.to(hpx.server()).credentials("bob", "s3cret");
    }

    private List<String> commands() {
        return hpx.server().receivedMessages().stream().map(m -> m.root().path("command").asText()).toList();
    }

    @Test
    void dropAuthLogsOutAndTheNextCallLogsInAgain() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();

            JsonNode info = client.sendCommand(ServerCommand.DROP_AUTH);

            assertThat(info.has("version")).isTrue();
            assertThat(info.path("guest_allowed").asBoolean(true)).isFalse();
            assertThat(server.sessionIds()).doesNotContain(before);

            assertThat(client.call("echo", Map.of("value", "again")).asText()).isEqualTo("again");
            assertThat(client.sessionId()).isNotEqualTo(before).matches("[0-9a-f]{32}");
            assertThat(server.sessionIds()).containsExactly(client.sessionId());
            // the client knew it had logged out: no call went out in the dead session
            assertThat(commands()).containsExactly("handshake", "dropauth", "handshake", "call");
            assertThat(server.receivedMessages().get(1).session()).isEqualTo(before);
        }
    }

    @Test
    void requestAuthGivesServerInfoAndANewSessionWhileTheOldOneStaysValid() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();

            JsonNode info = client.sendCommand(ServerCommand.REQUEST_AUTH);

            assertThat(info.has("version")).isTrue();
            assertThat(info.has("guest_allowed")).isTrue();
            assertThat(client.sessionId()).isNotEqualTo(before).matches("[0-9a-f]{32}");
            assertThat(server.sessionIds()).contains(before, client.sessionId());
            assertThat(client.call("echo", Map.of("value", 1)).intValue()).isEqualTo(1);
            assertThat(commands()).containsExactly("handshake", "requestauth", "handshake", "call");
            assertThat(server.receivedMessages().get(1).session()).isEmpty();
            assertThat(server.receivedMessages().get(3).session()).isEqualTo(client.sessionId());
        }
    }

    /**
     * The new handshake of {@code requestauth} starts on the connection's reader, which hands it to the client's
     * executor; a full executor (the component's has a bounded queue) refuses it. The command fails with a typed
     * error, and the session is not left waiting for a handshake that never ran.
     */
    @Test
    void requestAuthRefusedByAFullExecutorFailsTypedAndTheNextCallMakesTheSession() {
        AtomicBoolean full = new AtomicBoolean();
        Executor executor = task -> {
            if (full.get()) {
                throw new RejectedExecutionException("queue full");
            }
            ForkJoinPool.commonPool().execute(task);
        };
        try (HpxClient client = bob().executor(executor).build()) {
            // Asynchronous, so that the connection's reader thread reads from now on: a blocking first call (as
            // authenticate) reads its reply itself, and so would the command's caller below.
            client.executeAsync(HpxRequest.function("echo", Map.of("value", "first"))).join();
            String before = client.sessionId();
            // Late enough that the handshake after it starts on the reader, not on this thread.
            hpx.server().faults().nextReply(Fault.delay(Duration.ofSeconds(1)));
            full.set(true);

            assertThatThrownBy(() -> client.sendCommand(ServerCommand.REQUEST_AUTH))
                    .isInstanceOf(HpxConnectionException.class).hasMessageContaining("executor refused");
            full.set(false);

            assertThat(client.call("echo", Map.of("value", "again")).asText()).isEqualTo("again");
            assertThat(client.sessionId()).isNotEqualTo(before).matches("[0-9a-f]{32}");
            assertThat(commands()).containsExactly("handshake", "call", "requestauth", "handshake", "call");
        }
    }

    @Test
    void expiredSessionIsRenewedAndTheCallRetriedOnce() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();
            server.expireSession(before);

            assertThat(client.call("echo", Map.of("value", "again")).asText()).isEqualTo("again");

            assertThat(client.sessionId()).isNotEqualTo(before);
            // handshake, the call that got 408, a new handshake with an empty session, the retried call
            assertThat(server.receivedMessages()).extracting(ReceivedMessage::session)
                    .containsExactly("", before, "", client.sessionId());
            assertThat(commands()).containsExactly("handshake", "call", "handshake", "call");
        }
    }

    /**
     * With one request slot, a broadcast watch whose session expired: the renewal starts on the watch connection's
     * reader when the lost session's reply completes, and must find that reply's slot free. It was held until the
     * reply's dependents had run, so the renewal waited for it on the very thread that had to read its answer, and
     * the watch failed at each deadline.
     */
    @Test
    void aWatchWhoseSessionExpiredRenewsItOnAConnectionWithASingleSlot() throws Exception {
        HpxTestServer server = hpx.server();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        List<String> connected = new CopyOnWriteArrayList<>();
        List<HpxException> failures = new CopyOnWriteArrayList<>();
        BroadcastWatch.StateListener states = new BroadcastWatch.StateListener() {
            @Override
            public void onConnected(String sessionId) {
                connected.add(sessionId);
            }

            @Override
            public void onDisconnected(HpxException cause, Duration retryIn) {
                failures.add(cause);
            }
        };
        try (HpxClient client = bob().maxInFlight(1).requestTimeout(Duration.ofSeconds(5)).build()) {
            String before = client.authenticate();
            server.expireSession(before);
            // Late enough that the renewal starts on the reader, not on the thread that opens the watch.
            server.faults().nextReply(Fault.delay(Duration.ofMillis(200)));

            try (BroadcastWatch watch = client.watchBroadcasts(executor, Duration.ofMillis(50), Duration.ofSeconds(1),
                    states)) {
                await().atMost(Duration.ofSeconds(4)).until(() -> !connected.isEmpty());
            }

            assertThat(failures).isEmpty();
            assertThat(connected).containsExactly(client.sessionId()).doesNotContain(before);
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void logoutByAnotherClientIsSurvived() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().build()) {
            String before = client.authenticate();
            try (HpxClient other = bob().sessionId(before).build()) {
                other.sendCommand(ServerCommand.DROP_AUTH);
            }
            assertThat(server.sessionIds()).doesNotContain(before);

            assertThat(client.call("echo", Map.of("value", "still here")).asText()).isEqualTo("still here");

            assertThat(client.sessionId()).isNotEqualTo(before);
            assertThat(server.receivedMessages()).extracting(ReceivedMessage::session)
                    .containsExactly("", before, before, "", client.sessionId());
        }
    }

    @Test
    void callsInFlightWhenTheSessionIsLostShareOneRenewal() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().poolSize(1).build()) {
            String before = client.authenticate();
            server.expireSession(before);

            List<CompletableFuture<JsonNode>> calls = IntStream.range(0, 8)
                    .mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i)))).toList();
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).orTimeout(5, TimeUnit.SECONDS).join().intValue()).isEqualTo(i);
            }

            assertThat(commands().stream().filter("handshake"::equals).count()).isEqualTo(2);
            assertThat(server.sessionIds()).containsExactly(client.sessionId());
        }
    }

    @Test
    void sessionLostAgainAfterTheRenewalIsNotRetriedAgain() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = bob().build()) {
            client.authenticate();

            // a function result with an auth code means "logged out" in G2: renewed and retried once, then reported
            assertThatThrownBy(() -> client.call("logged_out"))
                    .isInstanceOfSatisfying(HpxException.class, e -> assertThat(e.getCode()).isEqualTo(407));

            assertThat(commands()).containsExactly("handshake", "call", "handshake", "call");
        }
    }

    @Test
    void aRawCallWhoseResultSaysTheSessionIsLostIsRenewedAndRetriedOnceToo() throws Exception {
        try (HpxClient client = bob().build()) {
            client.authenticate();

            // Its results are not parsed, but looked through for an auth code all the same.
            byte[] reply = client.callAllRaw(List.of(FunctionCall.of("echo", Map.of("value", 1)),
                    FunctionCall.of("logged_out", Map.of())));

            assertThat(commands()).containsExactly("handshake", "call", "handshake", "call");
            JsonNode results = TestClients.MSGPACK.readTree(reply).get("data");
            assertThat(results.get(1).get("error").get("code").intValue()).isEqualTo(407);
        }
    }

    @Test
    void wrongCredentialsAfterALogoutNeverLoop() {
        HpxTestServer server = hpx.server();
        try (HpxClient owner = bob().build()) {
            String shared = owner.authenticate();
            try (HpxClient wrong = TestClients.to(server).credentials("bob", "bad").sessionId(shared).build()) {
                assertThat(wrong.call("echo", Map.of("value", 1)).intValue()).isEqualTo(1);
                owner.sendCommand(ServerCommand.DROP_AUTH);
                int before = server.receivedMessages().size();

                assertThatThrownBy(() -> wrong.call("echo", Map.of("value", 2)))
                        .isInstanceOf(HpxWrongCredentialsException.class);
                // the call that got 407, one handshake that got 411: no more
                assertThat(server.receivedMessages().size() - before).isEqualTo(2);

                int again = server.receivedMessages().size();
                assertThatThrownBy(() -> wrong.call("echo", Map.of("value", 3)))
                        .isInstanceOf(HpxWrongCredentialsException.class);
                assertThat(server.receivedMessages().size() - again).isEqualTo(1);
            }
        }
    }

    @Test
    void wrongCredentialsFailOnceWithoutALoop() {
        HpxTestServer server = hpx.server();
        try (HpxClient wrong = TestClients.to(server).credentials("bob", "bad").build()) {
            assertThatThrownBy(wrong::authenticate).isInstanceOf(HpxWrongCredentialsException.class);
            assertThatThrownBy(() -> wrong.call("echo", Map.of("value", 1)))
                    .isInstanceOf(HpxWrongCredentialsException.class);
            assertThat(commands()).containsExactly("handshake", "handshake");
        }
    }
}
