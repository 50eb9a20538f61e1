package io.github.camelhpx.testkit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The embedded HPX server as a Quarkus test resource: started before the application, it configures the hpx
 * component ({@code camel.component.hpx.host}, {@code port}, {@code user}, {@code password}) and stops after it.
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = HpxTestServerResource.class, initArgs = @ResourceArg(name = "galleries", value = "40"))
 * class MyRouteTest {
 *     HpxTestServer server; // injected: any field of this type
 * }
 * }</pre>
 *
 * Init arguments (all optional): {@code user} ({@value #DEFAULT_USER}), {@code password} (generated, per start),
 * {@code serverName}, {@code galleries} (the size of the sample library, {@value #DEFAULT_GALLERIES}),
 * {@code guestsAllowed} ({@code false}: the routes must log in), and {@code prefix}, the prefix of the configuration
 * keys ({@value #DEFAULT_PREFIX}; e.g. {@code hpx.} to feed your own placeholders).
 * <p>
 * Quarkus's test dependency is {@code provided} in this module: it comes from the user's Quarkus tests.
 */
public class HpxTestServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_USER = "quarkus";
    public static final String DEFAULT_PREFIX = "camel.component.hpx.";
    public static final int DEFAULT_GALLERIES = 40;

    private Map<String, String> args = Map.of();
    private HpxTestServer server;

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        String user = args.getOrDefault("user", DEFAULT_USER);
        // A password made per run: nothing to keep secret in the test sources, and nothing that works elsewhere
        String password = args.getOrDefault("password", generatedPassword());
        HpxTestServer.Builder builder = HpxTestServer.builder()
                .guestsAllowed(Boolean.parseBoolean(args.getOrDefault("guestsAllowed", "false")))
                .user(user, password)
                .library(SampleLibrary.galleries(
                        Integer.parseInt(args.getOrDefault("galleries", String.valueOf(DEFAULT_GALLERIES)))));
        if (args.containsKey("serverName")) {
            builder.serverName(args.get("serverName"));
        }
        server = builder.build().start();
        String prefix = args.getOrDefault("prefix", DEFAULT_PREFIX);
        return Map.of(prefix + "host", server.host(),
                prefix + "port", String.valueOf(server.port()),
                prefix + "user", user,
                prefix + "password", password);
    }

    /** Gives the running server to every field of type {@link HpxTestServer} of the test instance. */
    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.MatchesType(HpxTestServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
