package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.SampleLibrary;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesFunction;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code camel run} section of the component page, as written: its application.properties and each of its YAML
 * routes, run by Camel Main (what Camel JBang runs) against the embedded server, with HPX_PASSWORD in a stand-in
 * environment. The routes' log lines are what a user sees; the password is never among them.
 */
class HpxCamelRunDocsTest {

    private static final String PASSWORD = "run-pa55-never-shown";

    @RegisterExtension   // one server per run: sessions and notifications start empty
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD)
            .library(SampleLibrary.galleries(40)));

    @TempDir
    Path dir;

    // The page's routes poll notifications, an HPX 0.x (G1) function.
    @Tag("g1")
    @ParameterizedTest
    @ValueSource(strings = {"hpx.camel.yaml", "hpx-kamelets.camel.yaml"})
    void theRoutesOfTheDocsCallTheServerAndReceiveItsNotifications(String routes) throws Exception {
        Path route = Files.writeString(dir.resolve(routes), DocsBlocks.block(routes));
        Path properties = Files.writeString(dir.resolve("application.properties"),
                DocsBlocks.block("application.properties"));
        Main main = new Main();
        main.configure().withRoutesIncludePattern("file:" + route);
        main.setPropertyPlaceholderLocations("file:" + properties);
        main.addOverrideProperty("hpx.host", hpx.host());
        main.addOverrideProperty("hpx.port", String.valueOf(hpx.port()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                main.getCamelContext().getPropertiesComponent()
                        .addPropertiesFunction(new Environment(Map.of("HPX_PASSWORD", PASSWORD)));
            }
        });

        String shown;
        try (LogCapture logs = new LogCapture(Level.INFO)) {
            main.start();
            try {
                await().until(() -> logs.text().contains("Galleries: {\"count\":40}"));
                int id = hpx.server().pushNotificationToAll("Hello", "from the docs");
                await().until(() -> logs.text().contains("Notification: {\"id\":" + id + ",\"title\":\"Hello\""));
            } finally {
                main.stop();
            }
            shown = logs.text();
        }
        assertThat(shown).doesNotContain(PASSWORD).doesNotContain("compact notation");
    }

    /** {@code {{env:NAME}}} from a map: the test cannot set the process's environment. */
    private record Environment(Map<String, String> variables) implements PropertiesFunction {

        @Override
        public String getName() {
            return "env";
        }

        @Override
        public String apply(String remainder) {
            return variables.get(remainder);
        }
    }
}
