package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HpxClient#stats()}: connections, calls and their outcome counted, the last failure; no credential. */
class ClientStatsTest {

    private static final String PASSWORD = "st4ts-pa55";

    private final G2Gate gate = new G2Gate();

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .guestsAllowed(false)
            .user("bob", PASSWORD)
            .concurrentReplies(4)
            .function(gate.function()));

    @AfterEach
    void release() {
        gate.open();
    }

    private HpxClient.Builder client() {
        return TestClients.to(hpx.server()).credentials("bob", PASSWORD);
    }

    private HpxProtocol generation() {
        return hpx.server().protocol() == Protocol.G2 ? HpxProtocol.G2 : HpxProtocol.G1;
    }

    @Test
    void aNewClientHasNothingOpenAndNothingCounted() {
        try (HpxClient client = client().build()) {
            HpxClientStats stats = client.stats();

            assertThat(stats.server()).isEqualTo(hpx.server().host() + ":" + hpx.server().port());
            assertThat(stats.protocol()).isEqualTo(HpxProtocol.AUTO);
            assertThat(stats.user()).isEqualTo("bob");
            assertThat(stats.sessionEstablished()).isFalse();
            assertThat(stats.connectionsOpen()).isZero();
            assertThat(stats.callsInFlight() + stats.callsCompleted() + stats.callsFailed() + stats.logins()).isZero();
            assertThat(stats.lastError()).isNull();
            assertThat(stats.lastErrorAt()).isNull();
        }
    }

    @Test
    void callsAreCountedByOutcomeWithTheLastFailure() {
        try (HpxClient client = client().build()) {
            client.call("get_version");
            client.executeAsync(HpxRequest.function("get_version", Map.of())).join();
            assertThatThrownBy(() -> client.call("no_such_function")).isInstanceOf(HpxFunctionException.class);

            HpxClientStats stats = client.stats();

            assertThat(stats.protocol()).isEqualTo(generation());
            assertThat(stats.sessionEstablished()).isTrue();
            assertThat(stats.logins()).isEqualTo(1);
            assertThat(stats.callsCompleted()).isEqualTo(2);
            assertThat(stats.callsFailed()).isEqualTo(1);
            assertThat(stats.callsInFlight()).isZero();
            assertThat(stats.lastError()).startsWith("HpxFunctionException: ").contains("no_such_function");
            assertThat(stats.lastErrorAt()).isNotNull();
            assertThat(stats.connectionsOpen()).isPositive();
            assertThat(stats.connectionsBusy()).isZero();
            assertThat(stats.connectionsIdle()).isEqualTo(stats.connectionsOpen());
        }
    }

    @Test
    void aCallWaitingForItsReplyIsInFlightOnABusyConnection() throws Exception {
        try (HpxClient client = client().build()) {
            client.authenticate();
            CompletableFuture<JsonNode> held = client.executeAsync(HpxRequest.function("hold", Map.of("value", "x")));

            await().untilAsserted(() -> {
                HpxClientStats stats = client.stats();
                assertThat(stats.callsInFlight()).isEqualTo(1);
                assertThat(stats.connectionsBusy()).isEqualTo(1);
            });

            gate.open();
            held.get(5, TimeUnit.SECONDS);

            await().untilAsserted(() -> {
                HpxClientStats stats = client.stats();
                assertThat(stats.callsInFlight()).isZero();
                assertThat(stats.callsCompleted()).isEqualTo(1);
                assertThat(stats.connectionsBusy()).isZero();
            });
        }
    }

    @Test
    void aCallThatCannotConnectIsCountedAsFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (HpxClient client = client().port(closedPort).connectTimeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> client.call("get_version")).isInstanceOf(HpxConnectionException.class);
            assertThat(client.executeAsync(HpxRequest.function("get_version", Map.of())))
                    .failsWithin(Duration.ofSeconds(5));

            HpxClientStats stats = client.stats();

            assertThat(stats.callsFailed()).isEqualTo(2);
            assertThat(stats.callsInFlight()).isZero();
            assertThat(stats.lastError()).startsWith("HpxConnectionException");
        }
    }

    @Test
    void theStatsShowNeitherThePasswordNorTheSession() {
        HpxTestServer server = hpx.server();
        Set<String> handedOut = new HashSet<>();
        try (HpxClient client = client().build()) {
            client.call("get_version");
            handedOut.addAll(server.sessionIds());
            server.expireSession(client.sessionId());
            client.call("get_version");
            handedOut.addAll(server.sessionIds());

            String shown = client.stats().toString() + client;

            assertThat(client.stats().logins()).isEqualTo(2);
            assertThat(handedOut).hasSize(2).allSatisfy(session -> assertThat(shown).doesNotContain(session));
            assertThat(shown).doesNotContain(PASSWORD);
        }
    }
}
