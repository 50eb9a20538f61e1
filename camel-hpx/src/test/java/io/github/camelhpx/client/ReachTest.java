package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HpxClient#reach()}: a connection and the server's welcome, with nothing sent, so no login where a server
 * refuses the client's own.
 */
class ReachTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.guestsAllowed(false));

    @Test
    void theWelcomeIsReadWithNothingSentAndTheConnectionClosed() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).build()) {
            Welcome welcome = client.reach();
            client.reach();
            client.reach();

            assertThat(welcome.serverName()).isEqualTo(server.serverName());
            assertThat(welcome.guestAllowed()).isFalse();
            assertThat(server.receivedMessages()).isEmpty();
            assertThat(client.sessionId()).isNull();
            // Each closes what it opened: only the first connect, which told the server's generation, may stay.
            assertThat(client.openConnections()).isLessThanOrEqualTo(1);
            await().until(() -> server.openConnections() <= 1);
        }
    }

    @Test
    void aServerThatIsGoneFailsWithinTheRequestTimeout() {
        HpxTestServer server = hpx.server();
        try (HpxClient client = TestClients.to(server).requestTimeout(Duration.ofSeconds(2)).build()) {
            server.stop();

            assertThatThrownBy(client::reach).isInstanceOf(HpxConnectionException.class);
        }
    }
}
