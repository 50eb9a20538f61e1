package io.github.camelhpx.testkit;

import io.github.camelhpx.testkit.Toxic.Kind;
import org.junit.jupiter.api.Test;

import javax.net.SocketFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.camelhpx.testkit.Toxic.Direction.DOWNSTREAM;
import static io.github.camelhpx.testkit.Toxic.Direction.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fault proxy's command line: toxic specs, options, and a proxy in its own JVM in front of a server. */
class FaultProxyCliTest {

    private static final Pattern LISTENING = Pattern.compile("HPX fault proxy listening on ([^:]+):(\\d+)");

    @Test
    void toxicSpecsNameEveryToxic() {
        assertThat(ToxicSpec.parse("latency:up:300ms"))
                .isEqualTo(Toxic.latency(UPSTREAM, Duration.ofMillis(300)));
        assertThat(ToxicSpec.parse("latency:down:1s:50ms"))
                .isEqualTo(Toxic.latency(DOWNSTREAM, Duration.ofSeconds(1), Duration.ofMillis(50)));
        assertThat(ToxicSpec.parse("bandwidth:down:2048")).isEqualTo(Toxic.bandwidth(DOWNSTREAM, 2048));
        assertThat(ToxicSpec.parse("stall:down:10:2s")).isEqualTo(Toxic.stall(DOWNSTREAM, 10, Duration.ofSeconds(2)));
        assertThat(ToxicSpec.parse("cut:down:100")).isEqualTo(Toxic.cutAfter(DOWNSTREAM, 100));
        assertThat(ToxicSpec.parse("reset:up:0")).isEqualTo(Toxic.resetAfter(UPSTREAM, 0));
        assertThat(ToxicSpec.parse("garbage:up:5:16")).isEqualTo(Toxic.garbage(UPSTREAM, 5, 16));
        assertThat(ToxicSpec.parse("byte-by-byte:up")).isEqualTo(Toxic.byteByByte(UPSTREAM));
        assertThat(ToxicSpec.parse("duplicate:down:3:4")).isEqualTo(Toxic.duplicate(DOWNSTREAM, 3, 4));

        for (String bad : List.of("cut", "cut:sideways:1", "cut:down", "cut:down:1:2", "cut:down:x", "melt:down:1",
                "latency:up:5 minutes", "garbage:up:1:0")) {
            assertThatThrownBy(() -> ToxicSpec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void optionsSetTheRules() throws Exception {
        try (EchoServer echo = EchoServer.start();
             HpxFaultProxy proxy = HpxFaultProxyMain.parse(new String[] {"--upstream", "127.0.0.1:" + echo.port(),
                 "--port", "0", "--toxic", "cut:down:0", "--random", "5:1:reset"}).start()) {
            new Socket(proxy.host(), proxy.port()).close();
            await().until(() -> proxy.faultLog().size() == 2);
            List<FaultRecord> log = proxy.faultLog();
            assertThat(log).extracting(FaultRecord::connection).containsExactly(1, 1);
            assertThat(log.get(0).toxic()).isEqualTo(Toxic.cutAfter(DOWNSTREAM, 0));
            assertThat(log.get(1).toxic().kind()).isEqualTo(Kind.RESET);
        }
        assertThatThrownBy(() -> HpxFaultProxyMain.parse(new String[] {"--port", "0"}))
                .isInstanceOf(IllegalStateException.class);
        for (String[] bad : List.of(new String[] {"--bogus"}, new String[] {"--upstream", "nocolon"},
                new String[] {"--upstream", "h:1", "--random", "x:1"}, new String[] {"--upstream"})) {
            assertThatThrownBy(() -> HpxFaultProxyMain.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theCommandLineProxiesAServerWithItsToxicsAndReportsFaultsByKind() throws Exception {
        try (HpxTestServer server = HpxTestServer.builder().build().start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    HpxFaultProxyMain.class.getName(), "--upstream", server.host() + ":" + server.port(),
                    "--port", "0", "--toxic", "cut:down:10")).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                Matcher m = LISTENING.matcher(String.valueOf(line));
                assertThat(m.matches()).as("first line: %s", line).isTrue();
                try (RawClient c = RawClient.connect(m.group(1), Integer.parseInt(m.group(2)),
                        SocketFactory.getDefault())) {
                    byte[] welcomeStart = c.readUntilClosed();
                    assertThat(welcomeStart).hasSize(10);
                    assertThat(welcomeStart[0] & 0xff).isEqualTo(0x1f);
                }
                // SIGTERM through the handle: Process.destroy() would also close the stream we still read
                p.toHandle().destroy();
                assertThat(out.readLine()).isEqualTo("faults by kind: {CUT=1}");
            } finally {
                p.destroy();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
