package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A G2 reply's strings are UTF-8 on a JVM whose default charset is not: a Java 17 in a container with the POSIX
 * locale. msgpack-jackson reads strings of up to 64 bytes in the default charset, so before the client read its
 * trees itself every short title and tag came back as question marks. The JVM is started apart, with
 * {@code -Dfile.encoding=US-ASCII}: the charset is fixed when a JVM starts.
 */
@Tag("g2")
class G2DefaultCharsetTest {

    @Test
    void nonAsciiStringsComeBackAsSentWhenTheDefaultCharsetIsAscii() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("default-charset", ".txt");
        Process process = new ProcessBuilder(java, "-Dfile.encoding=US-ASCII", "-cp",
                System.getProperty("java.class.path"), DefaultCharsetProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.US_ASCII);
        Files.deleteIfExists(log);

        assertThat(ended).as("the probe JVM ended within 60 s: %s", output).isTrue();
        assertThat(output).as("the probe JVM's default charset").contains("CHARSET US-ASCII");
        assertThat(output.lines().filter(line -> line.startsWith("READ "))).as(output)
                .containsExactly("READ tree intact", "READ typed intact", "READ results intact",
                        "READ echo intact");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
