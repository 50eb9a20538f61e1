package io.github.camelhpx.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs an {@link HpxTestServer} for JUnit 5 tests. As a static {@code @RegisterExtension} field it runs one
 * server for the whole class; as an instance field, one per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.user("bob", "secret"));
 * }</pre>
 */
public final class HpxTestServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /**
     * The system property ({@code g1} or {@code g2}) that sets the generation of every server the extension runs
     * unless its test sets one: the way to run one suite of route tests against both generations.
     */
    public static final String PROTOCOL_PROPERTY = "hpx.testkit.protocol";

    private final Consumer<HpxTestServer.Builder> customizer;
    private HpxTestServer server;
    private boolean perClass;

    private HpxTestServerExtension(Consumer<HpxTestServer.Builder> customizer) {
        this.customizer = customizer;
    }

    /** A server with the default settings. */
    public static HpxTestServerExtension create() {
        return new HpxTestServerExtension(b -> { });
    }

    /** A server configured by {@code customizer}. */
    public static HpxTestServerExtension create(Consumer<HpxTestServer.Builder> customizer) {
        return new HpxTestServerExtension(Objects.requireNonNull(customizer, "customizer"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // beforeAll is only called for static fields: that is what makes the server per class
        perClass = true;
        startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopServer();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            startServer();
        } else if (server != null && !server.isRunning()) {
            // an earlier test quit the class-wide server
            server.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopServer();
        } else if (server != null) {
            // a class-wide server must not carry one test's faults into the next
            server.faults().clear();
        }
    }

    private void startServer() {
        HpxTestServer.Builder builder = HpxTestServer.builder();
        String protocol = System.getProperty(PROTOCOL_PROPERTY, "");
        if (!protocol.isBlank()) {
            builder.protocol(Protocol.valueOf(protocol.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        customizer.accept(builder);
        server = builder.build().start();
    }

    private void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public HpxTestServer server() {
        if (server == null) {
            throw new IllegalStateException("the HPX test server is not running (used outside a test?)");
        }
        return server;
    }

    public int port() {
        return server().port();
    }

    public String host() {
        return server().host();
    }
}
