package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The password and every session id the server hands out stay out of everything a user can see, with all logging at
 * TRACE: log lines, exceptions, health checks and their details, every JMX attribute of the context, the dev
 * console, and the {@code toString} of endpoints, components, routes, consumers and clients. The credentials are
 * set where the component page says they belong: on the component (here in Java; from properties, or
 * placeholders, the same), never in a URI. The session id also reaches routes, deliberately, as the header
 * {@code CamelHpxSessionId}: these routes do not log headers.
 */
class HpxSecretsEverywhereTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "Tr4ce-pa55-never-shown";
    private static final String WRONG = "Tr4ce-wr0ng-never-shown";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    private final Set<String> handedOut = new HashSet<>();
    private final AtomicInteger polled = new AtomicInteger();
    private LogCapture logs;
    private HpxClient holder;
    private String sharedSession;

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withEnableJMX();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        // From before the context exists, so that its start, its routes' and the component's setup are captured too.
        logs = new LogCapture(Level.TRACE);
        // The session of another client, which stays connected: a G1 session dies with its last connection.
        holder = HpxClient.builder().host(server().host()).port(server().port()).credentials("bob", PASSWORD).build();
        sharedSession = holder.authenticate();
        CamelContext context = super.createCamelContext();
        HpxConfiguration hpx = context.getComponent("hpx", HpxComponent.class).getConfiguration();
        hpx.setUser("bob");
        hpx.setPassword(PASSWORD);
        hpx.setSessionId(sharedSession);
        // The same server, with a wrong password: refused.
        HpxComponent refused = new HpxComponent();
        refused.setConfiguration(hpx.copy());
        refused.getConfiguration().setSessionId(null);
        refused.getConfiguration().setPassword(WRONG);
        context.addComponent("hpxrefused", refused);
        HealthCheckHelper.getHealthCheckRepository(context, "producers").setEnabled(true);
        HealthCheckHelper.getHealthCheckRepository(context, "consumers");
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call").to("hpx:get_version");
                from("direct:refused").routeId("refused").to("hpxrefused:get_version");
                from("hpx:broadcast?reconnectDelay=50&maxReconnectDelay=100").routeId("broadcasts")
                        .process(exchange -> polled.incrementAndGet());
                from("hpx:get_version?initialDelay=0&delay=100").routeId("poll")
                        .process(exchange -> polled.incrementAndGet());
                from("hpx:no_such_function?initialDelay=0&delay=100").routeId("failing-poll")
                        .process(exchange -> polled.incrementAndGet());
            }
        };
    }

    @AfterEach
    void closeHolder() {
        holder.close();
        logs.close();
    }

    @Test
    void neitherThePasswordNorAnySessionIdShowsAnywhere() throws Exception {
        StringBuilder shown = new StringBuilder();
        await().until(() -> broadcastsConnected() && failedPolls() > 0 && polled.get() > 0);
        handedOut.add(sharedSession);

        // A call in the shared session, then one after the server expired it: the client logs in again.
        assertThat(template.request("direct:call", null).getException()).isNull();
        server().expireSession(sharedSession);
        assertThat(template.request("direct:call", null).getException()).isNull();
        handedOut.addAll(server().sessionIds());
        // A refused login.
        Exchange refused = template.request("direct:refused", null);
        assertThat(refused.getException()).isInstanceOf(HpxWrongCredentialsException.class);
        shown.append(stackTrace(refused.getException()));
        // The server restarts: a broadcast, every session gone, the broadcast consumer reconnects and logs in anew.
        int beforeRestart = polled.get();
        server().restart();
        await().until(() -> broadcastsConnected() && polled.get() > beforeRestart + 1);
        assertThat(template.request("direct:call", null).getException()).isNull();
        handedOut.addAll(server().sessionIds());

        shown.append(healthChecks());
        shown.append(jmxAttributes());
        shown.append(devConsole());
        shown.append(context.getEndpoints()).append(context.getComponent("hpx")).append(context.getComponent("hpxrefused"))
                .append(context.getRoutes());
        context.getRoutes().forEach(route -> shown.append(route.getConsumer()).append(route.getEndpoint()));
        for (String name : Set.of("hpx", "hpxrefused")) {
            context.getComponent(name, HpxComponent.class).openClients().forEach((key, client) -> shown.append(key)
                    .append(client).append(client.stats()));
        }
        context.stop();
        logs.close();
        shown.append(logs.text());

        assertThat(handedOut).hasSizeGreaterThanOrEqualTo(3);
        assertThat(shown).as("what the test looked at")
                .contains("TRACE org.apache.camel", "DEBUG io.github.camelhpx", "get_version", "Wrong credentials",
                        "no_such_function", "Failed polling endpoint", "producer:hpx-call", "consumer:broadcasts",
                        "session: present", "Session=present");
        assertNotShown(shown, PASSWORD);
        assertNotShown(shown, WRONG);
        handedOut.forEach(session -> assertNotShown(shown, session));
    }

    /** Fails with the lines that show {@code secret}, rather than with everything looked at. */
    private static void assertNotShown(CharSequence shown, String secret) {
        assertThat(shown.toString().lines().filter(line -> line.contains(secret))).as("lines showing %s", secret)
                .isEmpty();
    }

    private boolean broadcastsConnected() {
        return ((HpxBroadcastConsumer) context.getRoute("broadcasts").getConsumer()).isConnected();
    }

    private long failedPolls() {
        return ((ScheduledPollConsumer) context.getRoute("failing-poll").getConsumer()).getErrorCounter();
    }

    /** Every check, as a readiness probe with full exposure shows it: id, message, details, error and its trace. */
    private String healthChecks() {
        StringBuilder shown = new StringBuilder();
        for (HealthCheck.Result result : HealthCheckHelper.invoke(context, "full")) {
            shown.append(result.getCheck().getId()).append(' ').append(result.getState()).append(' ')
                    .append(result.getMessage().orElse("")).append(' ').append(result.getDetails()).append('\n');
            result.getError().ifPresent(error -> shown.append(stackTrace(error)));
        }
        return shown.toString();
    }

    /** Every readable attribute of every MBean of the context, as a JMX console shows them. */
    private String jmxAttributes() throws Exception {
        StringBuilder shown = new StringBuilder();
        MBeanServer mbeans = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        ObjectName ofContext = new ObjectName("org.apache.camel:context=" + context.getManagementName() + ",*");
        for (ObjectName name : mbeans.queryNames(ofContext, null)) {
            shown.append(name).append('\n');
            for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(name).getAttributes()) {
                if (attribute.isReadable()) {
                    try {
                        shown.append("  ").append(attribute.getName()).append('=')
                                .append(mbeans.getAttribute(name, attribute.getName())).append('\n');
                    } catch (Exception notShown) {
                        // An attribute that cannot be read shows nothing.
                    }
                }
            }
        }
        return shown.toString();
    }

    private String devConsole() {
        DevConsoleRegistry consoles = DevConsoleRegistry.get(context);
        consoles.loadDevConsoles(true);
        DevConsole console = consoles.getConsole("hpx").orElseThrow();
        return console.call(DevConsole.MediaType.TEXT) + "\n" + console.call(DevConsole.MediaType.JSON);
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
