package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bounded memory: {@link HostileInputs} (gzip bombs, sizes that lie, nesting 100,000 deep, millions of tiny
 * members, a frame with no {@code <EOF>}) in a JVM of its own with a 64 MiB heap; every input must end in an
 * {@link HpxException}, none in an OutOfMemoryError, a StackOverflowError or any other exception. Its output is
 * printed here, so the figures are in surefire's output file. Both generations are covered by one run, so it
 * runs in the G1 pass only.
 */
@Tag("g1")
class HostileInputsTest {

    @Test
    void everyHostileInputEndsInATypedErrorWithinA64MiBHeap() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("hostile-inputs", ".txt");
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                HostileInputs.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        System.out.println(output);

        assertThat(ended).as("the hostile inputs JVM ended within 120 s").isTrue();
        List<String> cases = output.lines().filter(l -> l.startsWith("HOSTILE case=")).toList();
        assertThat(cases).as(output).hasSize(16);
        assertThat(cases).as("outcomes").allSatisfy(line -> assertThat(line)
                .doesNotContain("outcome=UNTYPED").doesNotContain("outcome=DECODED").contains("Exception("));
        assertThat(process.exitValue()).as(output).isZero();
    }
}
