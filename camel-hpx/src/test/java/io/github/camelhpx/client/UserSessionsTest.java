package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sessions of many users through one client: each request runs in its user's session, a lost session fails
 * typed and is never renewed, and the client's own session is not involved.
 */
class UserSessionsTest {

    private static final int USERS = 20;
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 40;
    private static final String LOCALE = "client.translation_locale";

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> {
        b.guestsAllowed(false);
        for (int u = 0; u < USERS; u++) {
            b.user(user(u), password(u));
        }
    });

    private static String user(int u) {
        return String.format("user%02d", u);
    }

    private static String password(int u) {
        return "pw-" + u + "-secret";
    }

    /** G1 a pool of 4, G2 one multiplexed connection. */
    private HpxClient gateway() {
        return TestClients.to(hpx.server()).poolSize(hpx.server().protocol() == Protocol.G2 ? 1 : 4).build();
    }

    /** A client-isolated setting: the server keeps its value per session. */
    private static JsonNode locale(HpxClient client, String session) {
        return client.execute(HpxRequest.function("get_config", Map.of("cfg", Map.of(LOCALE, "none")))
                .inSession(session)).get(LOCALE);
    }

    private static void setLocale(HpxClient client, String session, String value) {
        client.execute(HpxRequest.function("set_config", Map.of("cfg", Map.of(LOCALE, value))).inSession(session));
    }

    private long handshakes() {
        return hpx.server().receivedMessages().stream().filter(m -> m.session().isEmpty()).count();
    }

    @Test
    void aLoginWithoutAPasswordIsRefusedAndNothingIsSent() {
        // HPX 0.x lets the user "default" in with a null password even when the server disabled that user.
        try (HpxTestServer server = HpxTestServer.builder().protocol(hpx.server().protocol()).guestsAllowed(false)
                .defaultUserDisabled(true).build().start(); HpxClient client = TestClients.to(server).build()) {
            assertThatThrownBy(() -> client.login("default", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no password");
            assertThatThrownBy(() -> TestClients.to(server).credentials("default", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no password");

            assertThat(server.sessionIds()).isEmpty();
            assertThat(server.receivedMessages()).isEmpty();
        }
    }

    @Test
    void interleavedCallsOfTwentyUsersEachRunInTheirUsersSession() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (HpxClient client = gateway()) {
            List<String> sessions = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                sessions.add(client.login(user(u), password(u)));
                setLocale(client, sessions.get(u), "locale-of-" + user(u));
            }
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(() -> {
                    int own = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        int u = (thread * 7 + i) % USERS;
                        boolean mine = locale(client, sessions.get(u)).asText().equals("locale-of-" + user(u));
                        if (hpx.server().protocol() == Protocol.G2) {
                            JsonNode who = client.execute(HpxRequest.function("get_user", Map.of()).inSession(sessions.get(u)));
                            mine &= who.get("name").asText().equals(user(u));
                        }
                        own += mine ? 1 : 0;
                    }
                    return own;
                });
            }
            int own = 0;
            for (Future<Integer> result : threads.invokeAll(workers)) {
                own += result.get();
            }

            assertThat(own).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(sessions).doesNotHaveDuplicates().allSatisfy(s -> assertThat(hpx.server().sessionIds()).contains(s));
            // the client's own session was never made: no request fell back to it
            assertThat(client.sessionId()).isNull();
            assertThat(handshakes()).isEqualTo(USERS);
            // G2: everything over the one connection; G1: a connection per session (HPX 0.x binds sessions to them),
            // and the first, opened to learn the generation, which no call of the pool took
            assertThat(client.openConnections()).isEqualTo(hpx.server().protocol() == Protocol.G2 ? 1 : USERS + 1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aLoggedOutUsersNextCallFailsTypedWhileTheOthersGoOn() {
        try (HpxClient client = gateway()) {
            String alice = client.login(user(1), password(1));
            String bob = client.login(user(2), password(2));
            setLocale(client, alice, "alice");
            setLocale(client, bob, "bob");

            client.logout(alice);
            // G1 logs out by closing the session's connection: the server forgets the session once it sees the close.
            await().atMost(Duration.ofSeconds(5)).until(() -> !hpx.server().sessionIds().contains(alice));

            assertThatThrownBy(() -> locale(client, alice)).isInstanceOf(HpxSessionLostException.class)
                    .hasMessageNotContaining(alice);
            assertThat(locale(client, bob).asText()).isEqualTo("bob");
            assertThat(hpx.server().sessionIds()).contains(bob);
        }
    }

    @Test
    void aCallRightAfterTheLogoutIsNotSentAndLeavesTheSessionLoggedOut() {
        try (HpxClient client = gateway()) {
            String alice = client.login(user(1), password(1));
            setLocale(client, alice, "alice");
            hpx.server().clearReceivedMessages();

            client.logout(alice);

            // At once, before a G1 server has seen the logout's close: no new connection may take the session up again.
            assertThatThrownBy(() -> locale(client, alice)).isInstanceOf(HpxSessionLostException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hpx.server().sessionIds().contains(alice));
            List<String> calls = hpx.server().receivedMessages().stream().map(ReceivedMessage::session)
                    .filter(alice::equals).toList();
            // G2 sends the logout (dropauth) in the session, and the call, which the server refuses; G1 sends neither.
            assertThat(calls).hasSize(hpx.server().protocol() == Protocol.G2 ? 2 : 0);
        }
    }

    /**
     * G1: a logout that comes while a call in the same session opens that session's connection (the session made by
     * another client, so this one holds no connection for it) leaves no connection behind: before, the call failed as
     * logged out but its new connection stayed held, open until the client closed.
     */
    @Test
    void aLogoutWhileACallOpensTheSessionsConnectionLeavesNoConnectionBehind() {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G1).guestsAllowed(false)
                .user(user(8), password(8)).user(user(9), password(9)).build().start();
             HpxClient maker = TestClients.to(server).build();
             HpxClient client = TestClients.to(server).build()) {
            String session = maker.login(user(8), password(8));
            client.login(user(9), password(9));
            int open = client.openConnections();
            int before = server.openConnections();
            server.faults().nextWelcome(Fault.delay(Duration.ofSeconds(1)));
            CompletableFuture<JsonNode> call = client.executeAsync(HpxRequest.function("get_config",
                    Map.of("cfg", Map.of(LOCALE, "none"))).inSession(session));
            await().until(() -> server.openConnections() == before + 1);

            client.logout(session);

            assertThatThrownBy(call::join).hasCauseInstanceOf(HpxSessionLostException.class);
            assertThat(client.openConnections()).isEqualTo(open);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == before);
        }
    }

    /**
     * G1: the connections a client counts are those it holds open, the first one too, which it opened to learn the
     * server's generation and no call of its pool has taken yet (a gateway that only works in users' sessions).
     */
    @Test
    void aGatewayCountsEveryConnectionItHolds() {
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G1).guestsAllowed(false)
                .user(user(11), password(11)).build().start();
             HpxClient client = TestClients.to(server).build()) {
            String session = client.login(user(11), password(11));
            setLocale(client, session, "counted");

            assertThat(client.openConnections()).isEqualTo(server.openConnections());
        }
    }

    @Test
    void anExpiredSessionFailsTypedAndIsNotRenewed() {
        try (HpxClient client = gateway()) {
            String session = client.login(user(3), password(3));
            hpx.server().expireSession(session);
            long before = handshakes();

            assertThatThrownBy(() -> locale(client, session)).isInstanceOfSatisfying(HpxSessionLostException.class,
                    lost -> assertThat(lost.getCode()).isEqualTo(HpxSessionExpiredException.CODE))
                    .hasMessageNotContaining(session);
            assertThat(handshakes()).isEqualTo(before);
            assertThat(client.sessionId()).isNull();
        }
    }

    @Test
    void aSessionLostInARestartFailsTyped() {
        try (HpxClient client = gateway()) {
            String session = client.login(user(4), password(4));
            setLocale(client, session, "before");

            hpx.server().restart();

            assertThatThrownBy(() -> locale(client, session)).isInstanceOf(HpxSessionLostException.class);
            String again = client.login(user(4), password(4));
            assertThat(locale(client, again).asText()).isNotEqualTo("before");
        }
    }

    @Test
    void anUnknownSessionIdFailsTypedAndLeavesTheOtherSessionsAsTheyWere() {
        try (HpxClient client = gateway()) {
            String alice = client.login(user(5), password(5));
            setLocale(client, alice, "alice");

            assertThatThrownBy(() -> locale(client, "0123456789abcdef0123456789abcdef"))
                    .isInstanceOf(HpxSessionLostException.class);
            assertThat(locale(client, alice).asText()).isEqualTo("alice");
        }
    }

    @Test
    void aSessionMadeByAnotherClientCanBeUsed() {
        try (HpxClient maker = gateway(); HpxClient user = gateway()) {
            String session = maker.login(user(6), password(6));
            setLocale(maker, session, "made-elsewhere");

            assertThat(locale(user, session).asText()).isEqualTo("made-elsewhere");
        }
    }

    @Test
    void wrongCredentialsFailTypedAndLeaveNoConnectionBehind() {
        try (HpxClient client = gateway()) {
            client.login(user(7), password(7));
            int open = client.openConnections();

            assertThatThrownBy(() -> client.login(user(7), "wrong")).isInstanceOf(HpxWrongCredentialsException.class)
                    .hasMessageNotContaining("wrong");
            assertThat(client.openConnections()).isEqualTo(open);
        }
    }

    @Test
    void onlyCallsBatchesAndTheLogoutRunInAGivenSession() {
        String session = "0123456789abcdef0123456789abcdef";

        assertThatThrownBy(() -> HpxRequest.command(ServerCommand.REQUEST_AUTH).inSession(session))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HpxRequest.login("bob", "x").inSession(session)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HpxRequest.function("get_version", Map.of()).inSession(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLoginIsTheOnlyMessageThatCarriesThePassword() {
        try (HpxClient client = gateway()) {
            String session = client.login(user(8), password(8));
            locale(client, session);

            List<ReceivedMessage> received = hpx.server().receivedMessages();
            assertThat(received).filteredOn(m -> m.root().toString().contains(password(8))).hasSize(1);
            assertThat(received).filteredOn(m -> m.session().equals(session)).hasSize(1);
        }
    }
}
