package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --protocol g1|g2} on the command line; the G1 run itself is {@link CliTest}'s. */
class G2CliTest {

    @Test
    void theCommandLineStartsAG2ServerThatAnswers() throws Exception {
        try (CliServer server = CliServer.start("cli_g2", "--protocol", "g2", "--user", "bob:secret", "--concurrent-replies", "2");
             G2RawClient c = G2RawClient.connect(server.host(), server.port())) {
            assertThat(c.peekFirstByte()).isBetween(0x80, 0x8f);
            assertThat(c.read().path("name").asText()).isEqualTo("cli_g2");
            c.handshake(RawClient.parse("{\"user\": \"bob\", \"password\": \"secret\"}"));
            JsonNode user = c.callOne("{\"fname\": \"get_user\"}");
            assertThat(user.path("data").path(0).path("data").path("name").asText()).isEqualTo("bob");
        }
    }

    @Test
    void protocolOptionsAreParsed() throws Exception {
        assertThat(HpxTestServerMain.parse(new String[] {"--port", "0"}).build().protocol()).isEqualTo(Protocol.G1);
        assertThat(HpxTestServerMain.parse(new String[] {"--protocol", "g1"}).build().protocol()).isEqualTo(Protocol.G1);
        assertThat(HpxTestServerMain.parse(new String[] {"--protocol", "G2", "--split-at-first-eof",
            "--concurrent-replies", "3"}).build().protocol()).isEqualTo(Protocol.G2);
        assertThatThrownBy(() -> HpxTestServerMain.parse(new String[] {"--protocol", "g3"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("g1 or g2");
        assertThatThrownBy(() -> HpxTestServerMain.parse(new String[] {"--concurrent-replies", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
