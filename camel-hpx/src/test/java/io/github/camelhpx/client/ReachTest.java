package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HpxClient#reach()}: a connection and the server's welcome, with nothing sent, so no login where a server
 * refuses the client's own.
 */
class ReachTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.guestsAllowed(false));

    /** With the generation given, no first connect tells it: each reach's connection is the only one. */
    @Test
    void theWelcomeOfItsOwnConnectionIsReadWithNothingSentAndTheConnectionClosed() {
        HpxTestServer server = hpx.server();
        HpxProtocol generation = server.protocol() == Protocol.G2 ? HpxProtocol.G2 : HpxProtocol.G1;
        try (HpxClient client = TestClients.to(server).protocol(generation).build()) {
            Welcome welcome = client.reach();
            client.reach();

            assertThat(welcome).isNotNull();
            assertThat(welcome.serverName()).isEqualTo(server.serverName());
            assertThat(welcome.guestAllowed()).isFalse();
            assertThat(server.receivedMessages()).isEmpty();
            assertThat(client.sessionId()).isNull();
            assertThat(client.openConnections()).isZero();
            await().until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void aServerThatIsGoneFailsTyped() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).requestTimeout(Duration.ofSeconds(2)).build()) {
            server.stop();

            assertThatThrownBy(client::reach).isInstanceOf(HpxConnectionException.class);
        }
    }

    /** As a blocking call is: the connection's replies would wait for the connect. A G2 listener runs there. */
    @Test
    @Tag("g2")
    void aReachOnAReaderThreadIsRefused() throws Exception {
        HpxTestServer server = hpx.server();
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        try (HpxClient client = TestClients.to(server).build();
             AutoCloseable listening = client.onBroadcast(b -> {
                 if (!HpxClient.onReaderThread()) {
                     refused.complete(new AssertionError("the listener ran off the reader thread"));
                     return;
                 }
                 try {
                     client.reach();
                     refused.complete(null);
                 } catch (RuntimeException e) {
                     refused.complete(e);
                 }
             })) {
            // The connection that told the server's generation stays pooled, and its reader reads.
            client.reach();

            server.broadcast(1);

            assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reader thread");
        }
    }
}
