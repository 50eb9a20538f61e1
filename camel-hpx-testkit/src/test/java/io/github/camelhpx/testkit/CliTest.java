package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.time.Duration;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line starts a server in its own JVM that answers, and stops it cleanly on SIGTERM. */
class CliTest {

    @Test
    void theCommandLineStartsAServerThatAnswers() throws Exception {
        try (CliServer server = CliServer.start("cli_test", "--user", "bob:se:cret", "--no-guests", "--session-span", "10s");
             RawClient c = RawClient.connect(server.host(), server.port(), SocketFactory.getDefault())) {
            assertThat(c.read().path("data").path("guest_allowed").asBoolean()).isFalse();
            assertServerError(c.send("", RawClient.parse("{\"user\": \"\", \"password\": \"\"}")), 407, "Authentication is required");
            // the password is everything after the first colon
            assertAuthenticated(c.send("", RawClient.parse("{\"user\": \"bob\", \"password\": \"se:cret\"}")));
        }
    }

    @Test
    void optionsAreParsed() throws Exception {
        HpxTestServer server = HpxTestServerMain.parse(new String[] {"--host", "127.0.0.1", "--port", "0", "--name", "n",
            "--galleries", "7", "--disable-default-user"}).build();
        assertThat(server.serverName()).isEqualTo("n");
        assertThat(server.library().galleryCount()).isEqualTo(7);
        assertThat(HpxTestServerMain.duration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(HpxTestServerMain.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(HpxTestServerMain.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> HpxTestServerMain.parse(new String[] {"--bogus"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HpxTestServerMain.parse(new String[] {"--user", "nocolon"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HpxTestServerMain.duration("5 minutes")).isInstanceOf(IllegalArgumentException.class);
    }
}
