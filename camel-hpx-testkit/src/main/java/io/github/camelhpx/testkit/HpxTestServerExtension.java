package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs an {@link HpxTestServer} for JUnit 5 tests. As a static {@code @RegisterExtension} field it runs one
 * server for the whole class; as an instance field, one per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.user("bob", "secret"));
 * }</pre>
 * <p>
 * <b>Against a real HPX server.</b> With the configuration parameters (or system properties) {@code hpx.it.host},
 * {@code hpx.it.port}, {@code hpx.it.protocol} ({@code g1} or {@code g2}) and optionally {@code hpx.it.user} and
 * {@code hpx.it.password}, a class whose extension says {@link #orRealServer} runs against that server instead:
 * no embedded server starts, {@link #host()}, {@link #port()}, {@link #user()}, {@link #password()} and
 * {@link #protocol()} describe the real one, and a test that asks for {@link #server()} (faults, received messages,
 * sample data: the embedded server's internals) or is tagged with the other generation is skipped with an
 * assumption that says why. Every other class is skipped as a whole: its tests rely on what only the embedded
 * server has.
 */
public final class HpxTestServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /**
     * The system property ({@code g1} or {@code g2}) that sets the generation of every server the extension runs
     * unless its test sets one: the way to run one suite of route tests against both generations.
     */
    public static final String PROTOCOL_PROPERTY = "hpx.testkit.protocol";

    /** The host of a real HPX server to run the {@link #orRealServer} classes against; unset: the embedded one. */
    public static final String REAL_HOST = "hpx.it.host";
    public static final String REAL_PORT = "hpx.it.port";
    public static final String REAL_PROTOCOL = "hpx.it.protocol";
    public static final String REAL_USER = "hpx.it.user";
    public static final String REAL_PASSWORD = "hpx.it.password";

    private final Consumer<HpxTestServer.Builder> customizer;
    private HpxTestServer server;
    private boolean perClass;
    private boolean realServerAllowed;
    private String embeddedUser;
    private String embeddedPassword;
    private RealServer real;

    /** The real server the {@code hpx.it.*} parameters name. */
    private record RealServer(String host, int port, Protocol protocol, String user, String password) {

        static Optional<RealServer> from(ExtensionContext context) {
            Optional<String> host = context.getConfigurationParameter(REAL_HOST).filter(h -> !h.isBlank());
            return host.map(h -> new RealServer(h.trim(), Integer.parseInt(required(context, REAL_PORT)),
                    Protocol.valueOf(required(context, REAL_PROTOCOL).trim().toUpperCase(Locale.ROOT)),
                    context.getConfigurationParameter(REAL_USER).orElse(null),
                    context.getConfigurationParameter(REAL_PASSWORD).orElse(null)));
        }

        private static String required(ExtensionContext context, String key) {
            return context.getConfigurationParameter(key).orElseThrow(() -> new IllegalStateException(
                    REAL_HOST + " is set, so " + key + " must be too"));
        }

        @Override
        public String toString() {
            // the password stays out of reports
            return host + ":" + port + " (" + protocol + ")";
        }
    }

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

    /**
     * Lets the class run against a real HPX server when the {@code hpx.it.*} parameters name one; against the
     * embedded server its tests log in as {@code user} with {@code password} (which the customizer must set up).
     */
    public HpxTestServerExtension orRealServer(String user, String password) {
        this.realServerAllowed = true;
        this.embeddedUser = user;
        this.embeddedPassword = password;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // beforeAll is only called for static fields: that is what makes the server per class
        perClass = true;
        if (!useRealServer(context)) {
            startServer();
        }
    }

    /** Whether the parameters name a real server; a class that cannot run against one is skipped. */
    private boolean useRealServer(ExtensionContext context) {
        Optional<RealServer> named = RealServer.from(context);
        if (named.isEmpty()) {
            return false;
        }
        Assumptions.assumeTrue(realServerAllowed, () -> "runs against the embedded HPX server only (its own"
                + " functions, data or faults); skipped against the real server " + named.get());
        real = named.get();
        return true;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopServer();
        // a static extension outlives its run: the next run of the class decides again
        real = null;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (real != null || !perClass && useRealServer(context)) {
            Protocol other = real.protocol() == Protocol.G1 ? Protocol.G2 : Protocol.G1;
            Assumptions.assumeFalse(context.getTags().contains(other.name().toLowerCase(Locale.ROOT)),
                    () -> "a test of " + other + " servers; the real server " + real + " speaks " + real.protocol());
        } else if (!perClass) {
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

    /**
     * The embedded server. Against a real server this skips the test that asks: what it would look at (faults,
     * received messages, sample data) only the embedded server has.
     */
    public HpxTestServer server() {
        Assumptions.assumeTrue(real == null, () -> "needs the embedded HPX server's internals; skipped against the"
                + " real server " + real);
        if (server == null) {
            throw new IllegalStateException("the HPX test server is not running (used outside a test?)");
        }
        return server;
    }

    public int port() {
        return real != null ? real.port() : server().port();
    }

    public String host() {
        return real != null ? real.host() : server().host();
    }

    /** The generation of the server the tests run against. */
    public Protocol protocol() {
        return real != null ? real.protocol() : server().protocol();
    }

    /** The user to log in as: the real server's, or the embedded one's given to {@link #orRealServer}; or null. */
    public String user() {
        return real != null ? real.user() : embeddedUser;
    }

    public String password() {
        return real != null ? real.password() : embeddedPassword;
    }

    /** Whether the tests run against a real HPX server named by the {@code hpx.it.*} parameters. */
    public boolean isRealServer() {
        return real != null;
    }
}
