package io.github.camelhpx.example;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

import org.apache.camel.main.Main;

/**
 * Runs {@link HpxDemoRoutes} once and exits. With {@code -Dhpx.host=...} (or the environment variable
 * {@code HPX_HOST}; likewise {@code hpx.port}, {@code hpx.user}, {@code hpx.password}) it talks to that server;
 * without, it starts the embedded HPX server of camel-hpx-testkit with a small sample library, which also
 * queues notifications and restarts once ({@link EmbeddedServerEvents}).
 */
public final class HpxExampleApplication {

    private static final String DEMO_USER = "demo";
    private static final String DEMO_PASSWORD = "demo-password";

    private HpxExampleApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new HpxDemoRoutes());
        if (System.getProperty("hpx.host") != null || System.getenv("HPX_HOST") != null) {
            main.run(args);
            return;
        }
        try (HpxTestServer server = HpxTestServer.builder()
                .serverName("camel_hpx_example")
                .guestsAllowed(false)
                .user(DEMO_USER, DEMO_PASSWORD)
                .library(SampleLibrary.galleries(40))
                .build().start()) {
            main.addInitialProperty("hpx.host", server.host());
            main.addInitialProperty("hpx.port", String.valueOf(server.port()));
            main.addInitialProperty("hpx.user", DEMO_USER);
            main.addInitialProperty("hpx.password", DEMO_PASSWORD);
            main.configure().addRoutesBuilder(new EmbeddedServerEvents(server));
            main.run(args);
        }
    }
}
