package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.camelhpx.testkit.Replies.assertAuthenticated;
import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line starts a server in its own JVM that answers, and stops it cleanly on SIGTERM. */
class CliTest {

    private static final Pattern LISTENING = Pattern.compile("HPX test server 'cli_test' listening on ([^:]+):(\\d+)");

    @Test
    void theCommandLineStartsAServerThatAnswers() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                HpxTestServerMain.class.getName(), "--port", "0", "--name", "cli_test", "--user", "bob:se:cret",
                "--no-guests", "--session-span", "10s"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = LISTENING.matcher(String.valueOf(line));
            assertThat(m.matches()).as("first line: %s", line).isTrue();
            try (RawClient c = RawClient.connect(m.group(1), Integer.parseInt(m.group(2)), SocketFactory.getDefault())) {
                assertThat(c.read().path("data").path("guest_allowed").asBoolean()).isFalse();
                assertServerError(c.send("", RawClient.parse("{\"user\": \"\", \"password\": \"\"}")), 407, "Authentication is required");
                // the password is everything after the first colon
                assertAuthenticated(c.send("", RawClient.parse("{\"user\": \"bob\", \"password\": \"se:cret\"}")));
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
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
