package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.HpxTestTls;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Broadcasts are the only unsolicited messages: they go to listeners, never to a waiting caller. */
class BroadcastTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo())
            .user("reader", "reader-secret").user("writer", "writer-secret"));

    private final List<Broadcast> received = new CopyOnWriteArrayList<>();

    /** Echoes {@code value} while {@code broadcast} arrives (see {@link TestClients#callWhileBroadcasting}). */
    private JsonNode callWhileBroadcasting(HpxClient client, Object value, Object broadcast) throws Exception {
        return TestClients.callWhileBroadcasting(hpx.server(), client,
                () -> client.executeAsync(HpxRequest.function("echo", Map.of("value", value))), broadcast);
    }

    @Test
    void broadcastArrivingWhileACallWaitsGoesToTheListenerNotTheCaller() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(received::add);

            assertThat(callWhileBroadcasting(client, "mine", "serverquit").asText()).isEqualTo("mine");
            assertThat(received).singleElement().satisfies(b -> {
                assertThat(b.command()).isEqualTo(ServerCommand.SERVER_QUIT);
                assertThat(b.data().asText()).isEqualTo("serverquit");
                assertThat(b.sessionId()).isEqualTo(client.sessionId());
                assertThat(b.server()).isEqualTo(client.server());
                assertThat(b.protocol()).isEqualTo(client.protocol());
            });
        }
    }

    @Test
    void integerBroadcastOfARestartIsRecognised() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(received::add);

            assertThat(callWhileBroadcasting(client, 1, 2).intValue()).isEqualTo(1);
            assertThat(received).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_RESTART);
        }
    }

    @Test
    void restartIsDeliveredOnceWhateverTheNumberOfConnections() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(4).build()) {
            client.onBroadcast(received::add);
            client.authenticate();
            // The first call's reply held back keeps its connection busy, so the others open more of them: calls
            // answered as fast as they went out all fitted on one connection on a quick moment.
            hpx.server().faults().nextReply(Fault.delay(Duration.ofMillis(300)));
            IntStream.range(0, 20).mapToObj(i -> client.executeAsync(HpxRequest.function("echo", Map.of("value", i)))).toList()
                    .forEach(CompletableFuture::join);
            int open = client.openConnections();
            assertThat(open).isGreaterThan(1);

            hpx.server().restart();
            // The idle connections learn of it when next used; the call itself goes through on a new connection.
            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");

            // G2 reads every connection at once: a copy read by another reader would come after the first.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertThat(received).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_RESTART);
        }
    }

    /**
     * G1: a user's session has its own connection, read only when that session next calls. Read after a restart,
     * and after the client opened another connection, its broadcast must not make the next restart's, carried by
     * that other connection, look like a copy.
     */
    @Test
    void aRestartReadLateLeavesTheNextRestartDelivered() {
        twoRestartsReadLate(hpx.server(), TestClients.to(hpx.server()), false);
    }

    /** The same two restarts, the later one read first: neither is taken for a copy of the other. */
    @Test
    void anEarlierRestartReadAfterALaterOneIsDeliveredToo() {
        twoRestartsReadLate(hpx.server(), TestClients.to(hpx.server()), true);
    }

    /** Over TLS, where a socket cannot tell whether a broadcast waits unread (available() counts decrypted bytes). */
    @Test
    @Tag("g1")
    void aRestartReadLateOverTlsLeavesTheNextRestartDelivered() {
        try (HpxTestServer server = HpxTestServer.builder().tls(HpxTestTls.serverContext()).function(FunctionSpec.echo())
                .user("reader", "reader-secret").user("writer", "writer-secret").build().start()) {
            twoRestartsReadLate(server,
                    TestClients.to(server).host("localhost").sslContext(HpxTestTls.clientContext()), false);
        }
    }

    private void twoRestartsReadLate(HpxTestServer server, HpxClient.Builder builder, boolean laterFirst) {
        try (HpxClient client = builder.poolSize(1).idleTimeout(Duration.ofMillis(500)).build()) {
            client.onBroadcast(received::add);
            // Through the pool, where the idle timeout applies to it, the connection the client first opened.
            assertThat(client.call("echo", Map.of("value", "first")).asText()).isEqualTo("first");
            String reader = client.login("reader", "reader-secret");
            // Only the reader's connection is left, idle.
            await().until(() -> server.openConnections() == 1);

            server.restart();
            // Opened after the restart, and before the reader's connection is read: carries the next restart.
            String writer = client.login("writer", "writer-secret");
            if (!laterFirst) {
                assertThatThrownBy(() -> echoIn(client, reader)).isInstanceOf(HpxSessionLostException.class);
                await().until(() -> received.size() == 1);
            }

            server.restart();
            assertThatThrownBy(() -> echoIn(client, writer)).isInstanceOf(HpxSessionLostException.class);
            if (laterFirst) {
                assertThatThrownBy(() -> echoIn(client, reader)).isInstanceOf(HpxSessionLostException.class);
            }

            await().until(() -> received.size() == 2);
            assertThat(received).extracting(Broadcast::command)
                    .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_RESTART);
        }
    }

    /**
     * A broadcast read on a connection that carried another user's session (G1: that user's own connection; G2:
     * the pooled connection that user's call went on last) names the client's own session, never that user's: it
     * reaches every listener and the consumers' headers, and its text shows no session at all.
     */
    @Test
    void aBroadcastReadOnAnotherUsersConnectionNamesTheClientsOwnSession() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(received::add);
            String own = client.authenticate();
            String reader = client.login("reader", "reader-secret");
            echoIn(client, reader);

            hpx.server().restart();
            // G1 reads the reader's connection when the reader next calls; G2 reads it as the broadcast comes.
            assertThatThrownBy(() -> echoIn(client, reader)).isInstanceOf(HpxSessionLostException.class);

            await().until(() -> !received.isEmpty());
            assertThat(received).allSatisfy(b -> {
                assertThat(b.sessionId()).isEqualTo(own);
                assertThat(b.toString()).contains("SERVER_RESTART").doesNotContain(reader).doesNotContain(own);
            });
        }
    }

    /** A call in a user's session, which a restart has ended: its connection is read, its broadcast delivered. */
    private static void echoIn(HpxClient client, String session) {
        client.execute(HpxRequest.function("echo", Map.of("value", 1)).inSession(session));
    }

    /** G1: the listener runs on the thread whose call read the broadcast, here while that call takes a connection. */
    @Test
    @Tag("g1")
    void aListenerThatCallsTheServerLeavesTheCallThatReadTheBroadcastItsDeadline() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(2).build()) {
            List<String> fromListener = new CopyOnWriteArrayList<>();
            client.onBroadcast(b -> fromListener.add(client.call("echo", Map.of("value", "listener")).asText()));
            assertThat(client.call("echo", Map.of("value", "first")).asText()).isEqualTo("first");

            hpx.server().restart();

            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
            assertThat(fromListener).containsExactly("listener");
        }
    }

    /**
     * G1, one connection: the listener runs once the call that read the broadcast has given its connection back, so
     * a listener that calls the server gets it, whether the broadcast came before a reply or was read by the check
     * of an idle connection (which a restart then closed).
     */
    @Test
    @Tag("g1")
    void aListenerThatCallsTheServerGetsTheOnlyConnection() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).requestTimeout(Duration.ofSeconds(3))
                .build()) {
            List<Object> fromListener = new CopyOnWriteArrayList<>();
            client.onBroadcast(callingBack(client, fromListener));

            // Delivered before the call that read it returns
            assertThat(callWhileBroadcasting(client, "mine", 1).asText()).isEqualTo("mine");
            assertThat(fromListener).containsExactly("SERVER_QUIT");

            hpx.server().restart();
            assertThat(client.call("echo", Map.of("value", "after")).asText()).isEqualTo("after");
            assertThat(fromListener).containsExactly("SERVER_QUIT", "SERVER_RESTART");
        }
    }

    /** Read by the evictor's check of an idle connection, which holds it meanwhile: no call is there to deliver it. */
    @Test
    @Tag("g1")
    void aListenerThatCallsTheServerForABroadcastTheEvictorReadGetsTheOnlyConnection() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).idleTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(3)).build()) {
            List<Object> fromListener = new CopyOnWriteArrayList<>();
            client.onBroadcast(callingBack(client, fromListener));
            assertThat(client.call("echo", Map.of("value", "first")).asText()).isEqualTo("first");

            // The pool's only connection is idle: its check, every second, reads the broadcast.
            hpx.server().broadcast(1);

            await().atMost(Duration.ofSeconds(8)).until(() -> !fromListener.isEmpty());
            assertThat(fromListener).containsExactly("SERVER_QUIT");
        }
    }

    /** A listener that calls the server with the broadcast's command, keeping the answer or the failure. */
    private static BroadcastListener callingBack(HpxClient client, List<Object> answers) {
        return broadcast -> {
            try {
                answers.add(client.call("echo", Map.of("value", broadcast.command().name())).asText());
            } catch (HpxException e) {
                answers.add(e);
            }
        };
    }

    /** G1 has no reply to a quit: only its broadcast tells the command reached the server. */
    @Test
    @Tag("g1")
    void aQuitSentOnAPooledConnectionTheServerDroppedReachesTheServerAllTheSame() {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.authenticate();
            // Gone without a word (no broadcast): the pooled connection is dead, and the client has not seen it.
            hpx.server().stop();
            hpx.server().start();

            assertThat(client.sendCommand(ServerCommand.SERVER_QUIT)).isNull();

            assertThat(hpx.server().receivedMessages()).anyMatch(m -> m.root().toString().contains("serverquit"));
            await().until(() -> !hpx.server().isRunning());
        }
    }

    /**
     * Over TLS a pooled connection the server dropped with a restart looks idle (available() counts decrypted bytes
     * only): the restart's broadcast the quit then reads is not the quit's, and the quit goes on a new connection.
     */
    @Test
    @Tag("g1")
    void aQuitSentOverTlsOnAConnectionARestartDroppedReachesTheServerAllTheSame() {
        try (HpxTestServer server = HpxTestServer.builder().tls(HpxTestTls.serverContext()).build().start();
             HpxClient client = TestClients.to(server).host("localhost").sslContext(HpxTestTls.clientContext())
                     .poolSize(1).build()) {
            client.onBroadcast(received::add);
            client.authenticate();
            server.restart();

            assertThat(client.sendCommand(ServerCommand.SERVER_QUIT)).isNull();

            assertThat(server.receivedMessages()).anyMatch(m -> m.root().toString().contains("serverquit"));
            await().until(() -> !server.isRunning());
            assertThat(received).extracting(Broadcast::command)
                    .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_QUIT);
        }
    }

    @Test
    void quitCommandIsBroadcastAndTheServerGoesAway() {
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            client.onBroadcast(received::add);
            client.authenticate();

            assertThat(client.sendCommand(ServerCommand.SERVER_QUIT)).isNull();

            if (hpx.server().protocol() == Protocol.G2) {
                // G2 answers the command ("ok") and then broadcasts: the broadcast may come after the return.
                // (G1 has no answer but the broadcast, which has therefore arrived when the command returns.)
                await().until(() -> !received.isEmpty());
            }
            assertThat(received).extracting(Broadcast::command).containsExactly(ServerCommand.SERVER_QUIT);
            assertThat(received.get(0).data().intValue()).isEqualTo(1);
            await().until(() -> hpx.server().openConnections() == 0);
        }
    }

    @Test
    void failingListenerDoesNotDisturbTheClient() throws Exception {
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(1).build()) {
            client.onBroadcast(b -> {
                throw new IllegalStateException("listener bug");
            });
            client.onBroadcast(received::add);

            assertThat(callWhileBroadcasting(client, 5, 1).intValue()).isEqualTo(5);
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void removedListenerHearsNothing() throws Exception {
        List<Broadcast> kept = new CopyOnWriteArrayList<>();
        try (HpxClient client = TestClients.to(hpx.server()).build()) {
            AutoCloseable registration = client.onBroadcast(received::add);
            client.onBroadcast(kept::add);
            registration.close();
            client.authenticate();

            client.sendCommand(ServerCommand.SERVER_RESTART);

            // G2 broadcasts after its answer: the listener still registered tells when the broadcast was delivered.
            await().until(() -> !kept.isEmpty());
            assertThat(received).isEmpty();
        }
    }
}
