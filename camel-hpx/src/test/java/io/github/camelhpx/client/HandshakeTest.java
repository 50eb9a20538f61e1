package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every row of the protocol's handshake table, seen through the client. */
class HandshakeTest {

    @Nested
    class GuestsAllowed {

        @RegisterExtension
        final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.serverName("rias_momo_albedo"));

        /** The core version the server announces: HPX 0.3.0 (G1) or 1.0.0 (G2). */
        private String coreVersion() {
            return hpx.server().protocol() == Protocol.G1 ? "0.3.0" : "1.0.0";
        }

        @Test
        void guestGetsASessionAndTheWelcome() {
            try (HpxClient client = TestClients.to(hpx.server()).build()) {
                assertThat(client.sessionId()).isNull();

                String session = client.authenticate();

                assertThat(session).matches("[0-9a-f]{32}");
                assertThat(client.welcome().serverName()).isEqualTo("rias_momo_albedo");
                assertThat(client.welcome().coreVersion()).isEqualTo(coreVersion());
                assertThat(client.welcome().guestAllowed()).isTrue();
                ReceivedMessage handshake = hpx.server().receivedMessages().get(0);
                assertThat(handshake.session()).isEmpty();
                assertThat(handshake.name()).isEqualTo("client-test");
                assertThat(handshake.data().isObject()).isTrue();
                assertThat(handshake.data().size()).isZero();
            }
        }

        @Test
        void firstCallHandshakesOnceThenCarriesTheSession() {
            try (HpxClient client = TestClients.to(hpx.server()).build()) {
                assertThat(client.call("get_version").path("core").toString())
                        .isEqualTo("[" + coreVersion().replace('.', ',') + "]");
                client.call("get_version");

                assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::session)
                        .containsExactly("", client.sessionId(), client.sessionId());
            }
        }

        /** Starts a call whose handshake the server reads and never answers; returns once the server has read it. */
        private CompletableFuture<JsonNode> callStuckInItsHandshake(HpxClient client, Duration timeout) {
            hpx.server().faults().nextReply(Fault.noReply());
            CompletableFuture<JsonNode> call = client.executeAsync(
                    HpxRequest.function("get_version", Map.of()).timeout(timeout));
            await().until(() -> hpx.server().receivedMessages().size() == 1);
            return call;
        }

        /**
         * A call that finds another's handshake in flight waits for it; when that one fails on its own connection
         * (here its caller's shorter deadline passes), the waiting call makes its own session instead of failing
         * with the other's error.
         */
        @Test
        void aCallWaitingForAnotherCallsFailedHandshakeMakesItsOwn() {
            try (HpxClient client = TestClients.to(hpx.server()).poolSize(2).build()) {
                CompletableFuture<JsonNode> first = callStuckInItsHandshake(client, Duration.ofSeconds(3));

                JsonNode version = client.call("get_version");

                assertThat(version.has("core")).isTrue();
                assertThatThrownBy(first::join).hasCauseInstanceOf(HpxTimeoutException.class);
                // two handshakes, then the call in the second one's session
                assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::session)
                        .containsExactly("", "", client.sessionId());
            }
        }

        /**
         * Interrupted while it waits for another's handshake, a call ends at once with a typed error, and makes no
         * handshake of its own.
         */
        @Test
        void aCallInterruptedWhileWaitingForAnotherCallsHandshakeEndsAtOnce() {
            try (HpxClient client = TestClients.to(hpx.server()).poolSize(2).build()) {
                CompletableFuture<JsonNode> first = callStuckInItsHandshake(client, Duration.ofSeconds(30));
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread second = new Thread(() -> {
                    try {
                        client.call("get_version");
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                }, "second-caller");
                second.start();
                await().until(() -> second.getState() == Thread.State.TIMED_WAITING);

                second.interrupt();

                assertThat(outcome).succeedsWithin(Duration.ofSeconds(10))
                        .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                        .isInstanceOf(HpxConnectionException.class).isNotInstanceOf(HpxTimeoutException.class)
                        // G1 waits for the session on the call's thread, G2 for the reply that comes after it
                        .hasMessageContaining(hpx.server().protocol() == Protocol.G1
                                ? "interrupted while waiting for the HPX session"
                                : "interrupted while waiting for the HPX reply");
                assertThat(first).isNotDone();
                assertThat(hpx.server().receivedMessages()).as("no second handshake").hasSize(1);
            }
        }

        /** Waiting for another's handshake, a call still ends by its own deadline when that one's is later. */
        @Test
        void aCallWaitingForAnotherCallsHandshakeEndsByItsOwnDeadline() {
            try (HpxClient client = TestClients.to(hpx.server()).poolSize(2).build()) {
                CompletableFuture<JsonNode> first = callStuckInItsHandshake(client, Duration.ofSeconds(30));

                CompletableFuture<JsonNode> second = client.executeAsync(
                        HpxRequest.function("get_version", Map.of()).timeout(Duration.ofMillis(300)));

                assertThat(second).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOfSatisfying(HpxTimeoutException.class,
                                e -> assertThat(e.getTimeout()).isEqualTo(Duration.ofMillis(300)));
                assertThat(first).isNotDone();
            }
        }
    }

    @Nested
    class Users {

        @RegisterExtension
        final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.guestsAllowed(false).user("bob", "s3cret"));

        private HpxTestServer server() {
            return hpx.server();
        }

        @Test
        void rightCredentialsLogIn() {
            try (HpxClient client = TestClients.to(server()).credentials("bob", "s3cret").build()) {
                assertThat(client.authenticate()).matches("[0-9a-f]{32}");
                assertThat(client.welcome().guestAllowed()).isFalse();
                assertThat(server().receivedMessages().get(0).data().toString())
                        .isEqualTo("{\"user\":\"bob\",\"password\":\"s3cret\"}");
            }
        }

        @Test
        void wrongPasswordIs411AndNeverShowsThePassword() {
            try (HpxClient client = TestClients.to(server()).credentials("bob", "wrong-pass").build()) {
                assertThatThrownBy(client::authenticate)
                        .isInstanceOfSatisfying(HpxWrongCredentialsException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(411);
                            assertThat(e.getServerMessage()).isEqualTo("Wrong credentials");
                            assertThat(e.getMessage()).doesNotContain("wrong-pass");
                        });
                assertThat(client.toString()).contains("bob").doesNotContain("wrong-pass");
            }
        }

        @Test
        void unknownUserIs411() {
            try (HpxClient client = TestClients.to(server()).credentials("eve", "s3cret").build()) {
                assertThatThrownBy(() -> client.call("get_version")).isInstanceOf(HpxWrongCredentialsException.class);
            }
        }

        @Test
        void guestOnAServerWithoutGuestsIs412() {
            try (HpxClient client = TestClients.to(server()).build()) {
                assertThatThrownBy(client::authenticate)
                        .isInstanceOfSatisfying(HpxMissingCredentialsException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(412);
                            assertThat(e.getServerMessage()).isEqualTo("JSON dict missing 'user' key");
                        });
            }
        }

        @Test
        void emptyUserAndPasswordIs407() {
            try (HpxClient client = TestClients.to(server()).credentials("", "").build()) {
                assertThatThrownBy(client::authenticate)
                        .isInstanceOfSatisfying(HpxAuthRequiredException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(407);
                            assertThat(e.getServerMessage()).isEqualTo("Authentication is required");
                        });
            }
        }

        @Test
        void defaultUserLogsInWithAnyPassword() {
            try (HpxClient client = TestClients.to(server()).credentials("default", "whatever").build()) {
                assertThat(client.call("get_version").has("core")).isTrue();
            }
        }

        @Test
        void authFailuresAreAuthExceptions() {
            try (HpxClient client = TestClients.to(server()).credentials("bob", "nope").build()) {
                assertThatThrownBy(client::authenticate).isInstanceOf(HpxAuthException.class)
                        .isInstanceOf(HpxServerException.class).isInstanceOf(HpxException.class);
            }
        }
    }
}
