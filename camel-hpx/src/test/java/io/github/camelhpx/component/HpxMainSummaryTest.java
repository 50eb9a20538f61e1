package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel Main (and so Camel JBang and Camel Quarkus) logs the component options it set from properties when it starts,
 * before the component is initialised or any endpoint exists: a session id set on the component, as the page
 * recommends, is masked there too, as an option marked secret (the component adds its name to the context's
 * sensitive keywords only later). No server generation matters.
 */
@Tag("g1")
class HpxMainSummaryTest {

    private static final String SESSION = "0123456789abcdef0123456789abcdef";

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(server -> { });

    @TempDir
    Path dir;

    @Test
    void aSessionIdSetOnTheComponentIsMaskedInCamelMainsSummary() throws Exception {
        Path properties = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "camel.component.hpx.host = " + hpx.host(),
                "camel.component.hpx.port = " + hpx.port(),
                "camel.component.hpx.session-id = " + SESSION, ""));
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + properties);

        String shown;
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            main.start();
            main.stop();
            shown = logs.text();
        }
        assertThat(shown).contains("camel.component.hpx.sessionId").doesNotContain(SESSION);
    }
}
