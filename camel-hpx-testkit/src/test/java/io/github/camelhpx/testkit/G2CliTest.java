package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --protocol g1|g2} on the command line; the G1 run itself is {@link CliTest}'s. */
class G2CliTest {

    private static final Pattern LISTENING = Pattern.compile("HPX test server 'cli_g2' listening on ([^:]+):(\\d+)");

    @Test
    void theCommandLineStartsAG2ServerThatAnswers() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                HpxTestServerMain.class.getName(), "--port", "0", "--name", "cli_g2", "--protocol", "g2",
                "--user", "bob:secret", "--concurrent-replies", "2"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = LISTENING.matcher(String.valueOf(line));
            assertThat(m.matches()).as("first line: %s", line).isTrue();
            try (G2RawClient c = G2RawClient.connect(m.group(1), Integer.parseInt(m.group(2)))) {
                assertThat(c.peekFirstByte()).isBetween(0x80, 0x8f);
                assertThat(c.read().path("name").asText()).isEqualTo("cli_g2");
                c.handshake(RawClient.parse("{\"user\": \"bob\", \"password\": \"secret\"}"));
                JsonNode user = c.callOne("{\"fname\": \"get_user\"}");
                assertThat(user.path("data").path(0).path("data").path("name").asText()).isEqualTo("bob");
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
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
