package io.github.camelhpx.example.quarkus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.UnaryOperator;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

import org.jboss.logging.Logger;

/**
 * Decides which HPX server the example talks to, before Quarkus starts: the one configured through
 * {@code camel.component.hpx.host} (in {@code application.properties}, as a system property, or as the environment
 * variable {@code CAMEL_COMPONENT_HPX_HOST}, with its {@code _PORT}, {@code _USER}, {@code _PASSWORD}), or else the embedded
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
     * @param application the application's {@code application.properties} ({@link #applicationProperties()}); a
     *                    host set only for a profile ({@code %prod.camel.component.hpx.host}) is not seen here
     * @return the embedded server, started, or {@code null} if a server is configured
     */
    static HpxTestServer startUnlessConfigured(UnaryOperator<String> environment, Properties system,
            Properties application) {
        String host = PREFIX + "host";
        if (system.getProperty(host) != null || application.getProperty(host) != null
            || environment.apply("CAMEL_COMPONENT_HPX_HOST") != null) {
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

    /** The application's {@code application.properties}, read before Quarkus (and its configuration) starts. */
    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
