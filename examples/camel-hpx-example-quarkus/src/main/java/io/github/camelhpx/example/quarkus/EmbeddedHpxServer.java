package io.github.camelhpx.example.quarkus;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.UnaryOperator;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

import org.jboss.logging.Logger;

/**
 * Decides which HPX server the example talks to, before Quarkus starts: the one configured through
 * {@code camel.component.hpx.host} (a system property, or the environment variable
 * {@code CAMEL_COMPONENT_HPX_HOST}, with its {@code _PORT}, {@code _USER}, {@code _PASSWORD}), or else the embedded
 * server of camel-hpx-testkit on a free port, with the user {@value #DEMO_USER}, a generated password and 40 sample
 * galleries. The embedded server's address and login go in as system properties, which Quarkus reads when it
 * starts.
 */
final class EmbeddedHpxServer {

    static final String DEMO_USER = "demo";
    static final String SERVER_NAME = "camel_hpx_quarkus_example";
    private static final String PREFIX = "camel.component.hpx.";
    private static final Logger LOG = Logger.getLogger(EmbeddedHpxServer.class);

    private EmbeddedHpxServer() {
    }

    /**
     * @param environment the environment variables ({@code System::getenv})
     * @param system      the system properties, where the embedded server's settings go
     * @return the embedded server, started, or {@code null} if a server is configured
     */
    static HpxTestServer startUnlessConfigured(UnaryOperator<String> environment, Properties system) {
        if (system.getProperty(PREFIX + "host") != null || environment.apply("CAMEL_COMPONENT_HPX_HOST") != null) {
            return null;
        }
        String password = generatedPassword();
        HpxTestServer server = HpxTestServer.builder()
                .serverName(SERVER_NAME)
                .guestsAllowed(false)
                .user(DEMO_USER, password)
                .library(SampleLibrary.galleries(40))
                .build().start();
        LOG.infof("No HPX server configured (CAMEL_COMPONENT_HPX_HOST): started the embedded one on %s:%d",
                server.host(), server.port());
        system.setProperty(PREFIX + "host", server.host());
        system.setProperty(PREFIX + "port", String.valueOf(server.port()));
        system.setProperty(PREFIX + "user", DEMO_USER);
        system.setProperty(PREFIX + "password", password);
        return server;
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
