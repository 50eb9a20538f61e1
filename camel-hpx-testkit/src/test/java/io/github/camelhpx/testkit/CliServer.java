package io.github.camelhpx.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HpxTestServerMain} run in a JVM of its own, as a user starts it, for the command-line tests of both
 * generations. Closing it sends SIGTERM and checks that the server stops within ten seconds.
 */
final class CliServer implements AutoCloseable {

    private final Process process;
    private final String host;
    private final int port;

    private CliServer(Process process, String host, int port) {
        this.process = process;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts {@code --port 0 --name name} plus {@code options} and waits for the line that says where it listens,
     * which must be the first it prints.
     */
    static CliServer start(String name, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HpxTestServerMain.class.getName(),
                "--port", "0", "--name", name));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = Pattern.compile("HPX test server '" + Pattern.quote(name) + "' listening on ([^:]+):(\\d+)")
                    .matcher(String.valueOf(line));
            assertThat(m.matches()).as("first line: %s", line).isTrue();
            return new CliServer(p, m.group(1), Integer.parseInt(m.group(2)));
        } catch (RuntimeException | Error e) {
            stop(p);
            throw e;
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
